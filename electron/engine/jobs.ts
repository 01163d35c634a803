import { randomUUID } from 'node:crypto';
import type { Job } from '../../shared/domain';
import { NotFoundError } from './errors';

/**
 * Long work (imports, simulations, PDF exports) runs as a job: the caller gets an id at once and
 * polls job-get for progress, which works the same over IPC, HTTP and in-process.
 */
export interface JobHandle {
  job: Job;
  signal: AbortSignal;
  progress(p: Partial<Job['progress']>): void;
}

export function createJobs() {
  const jobs = new Map<string, { job: Job; controller: AbortController; started: number }>();

  function start(kind: string, totalBytes: number, run: (h: JobHandle) => Promise<unknown>): Job {
    const id = randomUUID();
    const controller = new AbortController();
    const job: Job = { id, kind, state: 'running', progress: { rows: 0, bytes: 0, totalBytes, percent: 0, rowsPerSecond: 0, etaSeconds: null } };
    const entry = { job, controller, started: Date.now() };
    jobs.set(id, entry);
    const handle: JobHandle = {
      job,
      signal: controller.signal,
      progress(p) {
        Object.assign(job.progress, p);
        const secs = (Date.now() - entry.started) / 1000;
        const pr = job.progress;
        pr.percent = pr.totalBytes > 0 ? Math.min(100, Math.round((pr.bytes / pr.totalBytes) * 1000) / 10) : pr.percent;
        pr.rowsPerSecond = secs > 0 ? Math.round(pr.rows / secs) : 0;
        pr.etaSeconds = pr.bytes > 0 && pr.totalBytes > 0 ? Math.max(0, Math.round((secs * (pr.totalBytes - pr.bytes)) / pr.bytes)) : null;
      },
    };
    run(handle).then(
      (result) => {
        job.state = 'done';
        job.result = result;
        job.progress.percent = 100;
        job.progress.etaSeconds = 0;
      },
      (e: unknown) => {
        const err = e as Error;
        job.state = controller.signal.aborted || err?.name === 'AbortError' ? 'cancelled' : 'failed';
        job.message = job.state === 'cancelled' ? 'Cancelled: nothing was written.' : err?.message ?? String(e);
      },
    );
    return job;
  }

  function get(id: string): Job {
    const e = jobs.get(id);
    if (!e) throw new NotFoundError(`Job ${id}`);
    return e.job;
  }

  function cancel(id: string): Job {
    const e = jobs.get(id);
    if (!e) throw new NotFoundError(`Job ${id}`);
    if (e.job.state === 'running') e.controller.abort();
    return e.job;
  }

  /** Resolves when the job leaves the running state (for the CLI and tests). */
  async function wait(id: string, onProgress?: (j: Job) => void, intervalMs = 100): Promise<Job> {
    for (;;) {
      const j = get(id);
      onProgress?.(j);
      if (j.state !== 'running') return j;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  return { start, get, cancel, wait };
}
export type Jobs = ReturnType<typeof createJobs>;
