import { z } from 'zod';
import { handler, NoArgs, Day, Id } from './define';
import type { AppInfo, Stats, Dashboard, Profile, Job } from '../domain';

export const coreApi = {
  'app-info': handler(NoArgs)<AppInfo>(),
  'stats-get': handler(NoArgs)<Stats>(),
  'dashboard-get': handler(z.object({ at: Day.optional() }).strict())<Dashboard>(),
  'demo-load': handler(z.object({ seed: z.number().int().optional() }).strict())<{ workloads: number; usageRows: number }>(),
  'profiles-list': handler(NoArgs)<{ profiles: Profile[]; currentId: number | null }>(),
  'profile-create': handler(
    z.object({ name: z.string().trim().min(1).max(120), role: z.enum(['analyst', 'owner', 'approver']) }).strict(),
  )<Profile>(),
  'profile-select': handler(z.object({ id: Id }).strict())<Profile>(),
  'job-get': handler(z.object({ id: z.string().min(1).max(64) }).strict())<Job>(),
  'job-cancel': handler(z.object({ id: z.string().min(1).max(64) }).strict())<Job>(),
};
