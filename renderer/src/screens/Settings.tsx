import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge, Field, RunnerStatus, useRunner } from '../components/ledger/Form';
import type { Role } from '../../../shared/domain';
import { BackupPanel } from '../components/settings/BackupPanel';

/** Settings: profiles (list, create, sign in as) and, in its own section, the database. */
export function SettingsScreen() {
  const profiles = useQuery(() => api['profiles-list']({}));
  const info = useQuery(() => api['app-info']({}));
  useReady((!!profiles.data && !!info.data) || !!profiles.error, 'settings');
  if (profiles.error) return <ErrorBox error={profiles.error} />;
  if (!profiles.data || !info.data) return <p className="muted">Loading settings…</p>;
  return (
    <div className="screen">
      <h1>Settings</h1>
      <ProfilesSection profiles={profiles.data.profiles} currentId={profiles.data.currentId} />
      <hr className="ld-section-sep" />
      <BackupPanel />
    </div>
  );
}

const ROLE_TEXT: Record<Role, string> = {
  analyst: 'imports, reconciles, requests top-ups',
  owner: 'owns workloads, requests top-ups',
  approver: 'approves or rejects top-ups, never their own',
};

function ProfilesSection({ profiles, currentId }: { profiles: { id: number; name: string; role: Role }[]; currentId: number | null }) {
  const runner = useRunner();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('owner');
  async function create(e: FormEvent) {
    e.preventDefault();
    if (await runner.run(() => api['profile-create']({ name, role }), (p) => `Created ${p.name} (${p.role}).`)) setName('');
  }
  return (
    <section aria-label="Profiles">
      <Card title="Profiles">
        <p className="muted small">
          The profile signed in is the person the audit log names: who requests, approves and acknowledges. A requester never approves their own top-up.
        </p>
        <RunnerStatus runner={runner} />
        <table className="data" aria-label="Profiles">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>May</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id} className={p.id === currentId ? 'ld-selected' : ''} data-testid={`profile-${p.id}`}>
                <td>{p.name}</td>
                <td>
                  <Badge tone={p.role === 'approver' ? 'info' : ''}>{p.role}</Badge>
                </td>
                <td className="muted">{ROLE_TEXT[p.role]}</td>
                <td>
                  {p.id === currentId ? (
                    <strong>Signed in</strong>
                  ) : (
                    <button className="small" disabled={runner.busy} onClick={() => runner.run(() => api['profile-select']({ id: p.id }), `Signed in as ${p.name}.`)}>
                      Sign in as {p.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form className="ld-form" onSubmit={create} aria-label="New profile" style={{ marginTop: 12 }}>
          <Field label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
          <Field label="Role">
            {(id) => (
              <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                <option value="analyst">analyst</option>
                <option value="owner">owner</option>
                <option value="approver">approver</option>
              </select>
            )}
          </Field>
          <div className="ld-form-actions">
            <button className="primary" type="submit" disabled={runner.busy}>
              Create profile
            </button>
          </div>
        </form>
      </Card>
    </section>
  );
}
