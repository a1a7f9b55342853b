import { EventsError, type RuleTarget } from '../../events/index.js';
import { type Operation, list, page, paged, str } from './protocol.js';

const tooMany = (n: number, max: number, field: string) =>
  new EventsError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${max} (got ${n})`);

export const putTargets: Operation = (input, { buses }) => {
  const targets = list(input, 'Targets') as RuleTarget[];
  if (targets.length < 1 || targets.length > 10) throw tooMany(targets.length, 10, 'targets');
  const failed = buses.putTargets(str(input, 'EventBusName', true), str(input, 'Rule'), targets);
  return { FailedEntryCount: failed.length, FailedEntries: failed };
};

export const listTargetsByRule: Operation = (input, { buses }) => {
  const { after, limit } = page(input);
  const all = buses.rule(str(input, 'EventBusName', true), str(input, 'Rule')).Targets;
  const start = after === undefined ? 0 : all.findIndex((t) => t.Id === after) + 1;
  const { items, NextToken } = paged(all.slice(start, start + limit), limit, (t) => t.Id);
  return { Targets: items, ...(NextToken && start + limit < all.length ? { NextToken } : {}) };
};

export const removeTargets: Operation = (input, { buses }) => {
  const ids = list(input, 'Ids');
  if (ids.length < 1 || ids.length > 100 || !ids.every((i) => typeof i === 'string')) throw tooMany(ids.length, 100, 'ids');
  buses.removeTargets(str(input, 'EventBusName', true), str(input, 'Rule'), ids as string[]);
  return { FailedEntryCount: 0, FailedEntries: [] };
};
