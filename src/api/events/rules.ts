import type { EventRule } from '../../events/index.js';
import { type Input, type Operation, page, paged, refuse, str } from './protocol.js';

const shape = (r: EventRule) => ({
  Name: r.Name,
  Arn: r.Arn,
  ...(r.EventPattern !== undefined ? { EventPattern: r.EventPattern } : { ScheduleExpression: r.ScheduleExpression }),
  State: r.State,
  ...(r.Description ? { Description: r.Description } : {}),
  ...(r.RoleArn ? { RoleArn: r.RoleArn } : {}),
  EventBusName: r.EventBusName,
});

export const putRule: Operation = (input, { buses }) => {
  refuse(input, ['Tags'], 'rule tags');
  const rule = buses.putRule({
    Name: str(input, 'Name'),
    EventBusName: str(input, 'EventBusName', true),
    EventPattern: str(input, 'EventPattern', true),
    ScheduleExpression: str(input, 'ScheduleExpression', true),
    State: str(input, 'State', true),
    Description: str(input, 'Description', true),
    RoleArn: str(input, 'RoleArn', true),
  });
  return { RuleArn: rule.Arn };
};

const ref = (input: Input): [string | undefined, string] => [str(input, 'EventBusName', true), str(input, 'Name')];

export const describeRule: Operation = (input, { buses }) => shape(buses.rule(...ref(input)));

export const listRules: Operation = (input, { buses }) => {
  const { after, limit } = page(input);
  const { items, NextToken } = paged(buses.listRules(str(input, 'EventBusName', true), str(input, 'NamePrefix', true), after, limit), limit, (r) => r.Name);
  return { Rules: items.map(shape), ...(NextToken ? { NextToken } : {}) };
};

export const enableRule: Operation = (input, { buses }) => {
  buses.setState(...ref(input), 'ENABLED');
  return {};
};

export const disableRule: Operation = (input, { buses }) => {
  buses.setState(...ref(input), 'DISABLED');
  return {};
};

export const deleteRule: Operation = (input, { buses }) => {
  buses.deleteRule(...ref(input), input.Force === true);
  return {};
};
