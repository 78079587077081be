import type { Outcome, RunRecord, RunResult, RunStatus } from '../../../src/shared/contract';
import type { DeviceInfo } from '../../../src/engine/device-info';
import type { Sql } from './sql';
import type { StoredRoofline } from '../../../src/engine/roofline/roofline';

interface Row {
  id: number;
  experiment_id: string;
  note_id: number | null;
  params: string;
  device: string | null;
  status: string;
  error: string | null;
  verdict: string | null;
  result?: string | null;
  started_at: number;
  finished_at: number | null;
  wall_ms: number | null;
}

type StoredVerdict = { outcome?: Outcome | null; holds: boolean; summary: { ko: string; en: string } };

/** Runs stored before verdicts had three outcomes said only holds or not: read them as such. */
function verdictOf(stored: StoredVerdict): NonNullable<RunRecord['verdict']> {
  return { outcome: stored.outcome ?? (stored.holds ? 'holds' : 'does-not-hold'), holds: stored.holds, summary: stored.summary };
}

function resultOf(text: string): RunResult {
  const result = JSON.parse(text) as RunResult & { verdict: Partial<RunResult['verdict']> & StoredVerdict; control?: RunResult['control'] };
  if (result.verdict.outcome) return { ...result, control: result.control ?? null };
  const verdict = verdictOf(result.verdict);
  return {
    ...result,
    verdict: { ...verdict, meaning: { ko: '', en: '' }, checks: [], evidence: [] },
    control: null,
  };
}

function toRecord(row: Row): RunRecord {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    noteId: row.note_id,
    params: JSON.parse(row.params) as Record<string, unknown>,
    device: row.device ? (JSON.parse(row.device) as RunRecord['device']) : null,
    status: row.status as RunStatus,
    error: row.error ? (JSON.parse(row.error) as RunRecord['error']) : null,
    verdict: row.verdict ? verdictOf(JSON.parse(row.verdict) as StoredVerdict) : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    wallMs: row.wall_ms,
    result: row.result ? resultOf(row.result) : null,
  };
}

// The verdict's outcome and summary are pulled out with json_extract so that history lists never
// parse whole results (a verdict's checks and evidence can be long).
const listColumns = `id, experiment_id, note_id, params, device, status, error,
  CASE WHEN result IS NULL THEN NULL ELSE json_object('outcome', json_extract(result, '$.verdict.outcome'),
    'holds', json(CASE WHEN json_extract(result, '$.verdict.holds') THEN 'true' ELSE 'false' END),
    'summary', json_extract(result, '$.verdict.summary')) END AS verdict,
  started_at, finished_at, wall_ms`;

/** The experiment_runs table (migration 001): one row per run, the result as JSON. */
export class RunStore {
  constructor(private readonly sql: Sql) {}

  insert(run: { experimentId: string; noteId: number | null; params: Record<string, unknown>; startedAt: number }): number {
    const info = this.sql.run(
      `INSERT INTO experiment_runs (experiment_id, note_id, params, status, started_at) VALUES (?, ?, ?, 'queued', ?)`,
      run.experimentId,
      run.noteId,
      JSON.stringify(run.params),
      run.startedAt,
    );
    return Number(info.lastInsertRowid);
  }

  markRunning(id: number, startedAt: number): void {
    // A run that ends while the app closes its database has nowhere to be recorded.
    if (!this.sql.db.open) return;
    this.sql.run(`UPDATE experiment_runs SET status = 'running', started_at = ? WHERE id = ?`, startedAt, id);
  }

  finishDone(id: number, result: RunResult, finishedAt: number): void {
    // A run that ends while the app closes its database has nowhere to be recorded.
    if (!this.sql.db.open) return;
    this.sql.run(
      `UPDATE experiment_runs SET status = 'done', device = ?, result = ?, error = NULL, finished_at = ?, wall_ms = ? WHERE id = ?`,
      JSON.stringify(result.device),
      JSON.stringify(result),
      finishedAt,
      result.timings.wallMs,
      id,
    );
  }

  finishFailed(id: number, status: 'failed' | 'cancelled', error: { code: string; message: string }, finishedAt: number, device?: DeviceInfo): void {
    // A run that ends while the app closes its database has nowhere to be recorded.
    if (!this.sql.db.open) return;
    this.sql.run(
      `UPDATE experiment_runs SET status = ?, error = ?, device = COALESCE(?, device), finished_at = ?, wall_ms = ? - started_at WHERE id = ?`,
      status,
      JSON.stringify(error),
      device ? JSON.stringify(device) : null,
      finishedAt,
      finishedAt,
      id,
    );
  }

  /** Runs left queued or running by a previous process that ended mid-run. */
  failInterrupted(finishedAt: number): number {
    const error = JSON.stringify({ code: 'experiment-failed', message: 'ProofDeck closed while this run was in progress' });
    return this.sql.run(`UPDATE experiment_runs SET status = 'failed', error = ?, finished_at = ? WHERE status IN ('queued', 'running')`, error, finishedAt).changes;
  }

  /** The newest roofline a run measured, with the adapter it was measured on (see keepRoofline). */
  latestRoofline(): StoredRoofline | null {
    const row = this.sql.get<StoredRoofline>(
      `SELECT json_extract(result, '$.device.name') AS device, json_extract(result, '$.roofline.bandwidthGBs') AS bandwidthGBs,
           json_extract(result, '$.roofline.computeGflops') AS computeGflops, json_extract(result, '$.roofline.gemmGflops') AS gemmGflops,
           json_extract(result, '$.roofline.measuredAt') AS measuredAt
         FROM experiment_runs WHERE status = 'done' AND json_extract(result, '$.roofline.measuredAt') IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    return row ?? null;
  }

  get(id: number): RunRecord | null {
    const row = this.sql.get<Row>(`SELECT ${listColumns}, result FROM experiment_runs WHERE id = ?`, id);
    return row ? toRecord(row) : null;
  }

  list(filter: { experimentId?: string; noteId?: number; limit: number }): RunRecord[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.experimentId !== undefined) {
      where.push('experiment_id = ?');
      values.push(filter.experimentId);
    }
    if (filter.noteId !== undefined) {
      where.push('note_id = ?');
      values.push(filter.noteId);
    }
    const sql = `SELECT ${listColumns} FROM experiment_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY started_at DESC, id DESC LIMIT ?`;
    return this.sql.all<Row>(sql, ...values, filter.limit).map(toRecord);
  }
}
