import type { EventBus } from '../../events/index.js';
import { type Operation, page, paged, refuse, seconds, str } from './protocol.js';

const shape = (b: EventBus) => ({
  Name: b.Name,
  Arn: b.Arn,
  ...(b.Description ? { Description: b.Description } : {}),
  CreationTime: seconds(b.CreationTime),
  LastModifiedTime: seconds(b.LastModifiedTime),
});

export const createEventBus: Operation = (input, { buses }) => {
  refuse(input, ['EventSourceName', 'KmsKeyIdentifier', 'DeadLetterConfig', 'Tags', 'LogConfig'], 'on CreateEventBus Hearth takes Name and Description');
  const bus = buses.createBus(str(input, 'Name'), str(input, 'Description', true));
  return { EventBusArn: bus.Arn, ...(bus.Description ? { Description: bus.Description } : {}) };
};

export const deleteEventBus: Operation = (input, { buses }) => {
  buses.deleteBus(buses.busName(str(input, 'Name')));
  return {};
};

export const describeEventBus: Operation = (input, { buses }) => shape(buses.bus(str(input, 'Name', true)));

export const listEventBuses: Operation = (input, { buses }) => {
  const { after, limit } = page(input);
  const { items, NextToken } = paged(buses.listBuses(str(input, 'NamePrefix', true), after, limit), limit, (b) => b.Name);
  return { EventBuses: items.map(shape), ...(NextToken ? { NextToken } : {}) };
};
