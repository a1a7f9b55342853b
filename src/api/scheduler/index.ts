import { HearthError } from '../../common/index.js';
import type { ScheduleInput } from '../../events/index.js';
import { jsonBody, type Router, sendJson } from '../http.js';
import { groupToWire, guarded, page, type SchedulerDeps, scheduleSummary, scheduleToWire } from './wire.js';

export { SCHEDULER_ERRORS, type SchedulerDeps } from './wire.js';

const LIMIT = 1024 * 1024;

/** The Scheduler operations Hearth serves, as @aws-sdk/client-scheduler names them. */
export const SCHEDULER_OPERATIONS = ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule', 'ListSchedules', 'CreateScheduleGroup', 'GetScheduleGroup', 'DeleteScheduleGroup', 'ListScheduleGroups'];

/**
 * EventBridge Scheduler's REST API (restJson1) on the main port: its paths
 * (`/schedules/{Name}`, `/schedule-groups/{Name}`) are distinct from Lambda's and SQS's.
 * Plus two Hearth operations for the CLI: preview the next fire times, fire now.
 */
export function addSchedulerRoutes(router: Router, d: SchedulerDeps): void {
  const s = d.schedules;
  router.add({
    method: 'POST',
    path: '/schedules/{Name}',
    handler: guarded(async (req, res) => {
      const created = s.create(req.params.Name!, await jsonBody<ScheduleInput>(req, LIMIT));
      sendJson(res, 200, { ScheduleArn: s.scheduleArn(created) });
    }),
  });
  router.add({
    method: 'PUT',
    path: '/schedules/{Name}',
    handler: guarded(async (req, res) => {
      const updated = s.update(req.params.Name!, await jsonBody<ScheduleInput>(req, LIMIT));
      sendJson(res, 200, { ScheduleArn: s.scheduleArn(updated) });
    }),
  });
  router.add({
    method: 'GET',
    path: '/schedules/{Name}',
    handler: guarded((req, res) => sendJson(res, 200, scheduleToWire(s.get(req.params.Name!, req.query.get('groupName')), s))),
  });
  router.add({
    method: 'DELETE',
    path: '/schedules/{Name}',
    handler: guarded((req, res) => {
      s.delete(req.params.Name!, req.query.get('groupName'));
      sendJson(res, 200, {});
    }),
  });
  router.add({
    method: 'GET',
    path: '/schedules',
    handler: guarded((req, res) => {
      const q = req.query;
      const group = q.get('ScheduleGroup') ?? undefined;
      if (group) s.getGroup(group);
      const state = q.get('State') ?? undefined;
      if (state && state !== 'ENABLED' && state !== 'DISABLED') throw new HearthError('ValidationException', `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
      const all = s.list({ group, prefix: q.get('NamePrefix') ?? undefined, state }).sort((a, b) => (a.group + '/' + a.name).localeCompare(b.group + '/' + b.name));
      const p = page(all, q);
      sendJson(res, 200, { Schedules: p.items.map((x) => scheduleSummary(x, s)), NextToken: p.next });
    }),
  });
  router.add({
    method: 'POST',
    path: '/schedule-groups/{Name}',
    handler: guarded(async (req, res) => {
      const body = await jsonBody<{ Tags?: unknown }>(req, LIMIT);
      const g = s.createGroup(req.params.Name!, body.Tags);
      sendJson(res, 200, { ScheduleGroupArn: s.groupArn(g.name) });
    }),
  });
  router.add({
    method: 'GET',
    path: '/schedule-groups/{Name}',
    handler: guarded((req, res) => sendJson(res, 200, groupToWire(s.getGroup(req.params.Name!), s))),
  });
  router.add({
    method: 'DELETE',
    path: '/schedule-groups/{Name}',
    handler: guarded((req, res) => {
      s.deleteGroup(req.params.Name!);
      sendJson(res, 200, {});
    }),
  });
  router.add({
    method: 'GET',
    path: '/schedule-groups',
    handler: guarded((req, res) => {
      const p = page(s.listGroups(req.query.get('NamePrefix') ?? undefined), req.query);
      sendJson(res, 200, { ScheduleGroups: p.items.map((g) => groupToWire(g, s)), NextToken: p.next });
    }),
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/schedules/{Name}/next',
    handler: guarded((req, res) => {
      const count = Number(req.query.get('count') ?? '5');
      if (!Number.isInteger(count) || count < 1 || count > 100) throw new HearthError('ValidationException', 'count must be an integer between 1 and 100.');
      const times = s.preview(req.params.Name!, count, req.query.get('groupName'));
      sendJson(res, 200, { Times: times.map((t) => new Date(t).toISOString()) });
    }),
  });
  router.add({
    method: 'POST',
    path: '/hearth/v1/schedules/{Name}/run',
    handler: guarded((req, res) => {
      const run = s.runNow(req.params.Name!, req.query.get('groupName'));
      sendJson(res, 200, { ScheduleArn: s.scheduleArn(run), Target: run.target.arn });
    }),
  });
}
