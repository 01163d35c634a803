import { api } from '../../api/client';
import { mutate, useQuery } from '../../hooks/useQuery';
import './ledger.css';

/**
 * "Signed in as" in the sidebar: the profile whose name goes into the audit log and who
 * requests, approves and acknowledges. A local profile list, not an authentication system.
 */
export function ProfileSwitcher() {
  const q = useQuery(() => api['profiles-list']({}));
  if (!q.data || q.data.profiles.length === 0) return null;
  const { profiles, currentId } = q.data;
  return (
    <div className="ld-profile-switch">
      <label htmlFor="profile-switch">Signed in as</label>
      <select id="profile-switch" value={currentId ?? ''} onChange={(e) => void mutate(() => api['profile-select']({ id: Number(e.target.value) }))}>
        {currentId === null && <option value="">— choose a profile —</option>}
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.role})
          </option>
        ))}
      </select>
    </div>
  );
}
