/**
 * The event pattern matcher, on the examples of AWS's event-pattern documentation
 * (event patterns, arrays, null and empty values, content filtering, comparison
 * operators): each documented pattern against the documented event, plus the near
 * misses that must not match, and the patterns EventBridge refuses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern, EventsError } from '../../../src/events/index.js';

const matches = (pattern: unknown, event: unknown) => compilePattern(JSON.stringify(pattern)).matches(event);
const yes = (pattern: unknown, event: unknown) => assert.equal(matches(pattern, event), true, `${JSON.stringify(pattern)} should match ${JSON.stringify(event)}`);
const no = (pattern: unknown, event: unknown) => assert.equal(matches(pattern, event), false, `${JSON.stringify(pattern)} should not match ${JSON.stringify(event)}`);
const detail = (d: Record<string, unknown>) => ({ ...EC2, detail: d });

/** The EC2 state-change event the documentation's examples start from. */
const EC2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

describe('event patterns: exact values, nesting and arrays', () => {
  it('matches top-level and nested fields, all of them (AND), ignoring fields the pattern does not name', () => {
    const p = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    yes(p, EC2);
    no(p, detail({ state: 'running' }));
    no(p, { ...EC2, source: 'aws.fargate' });
    no({ detail: { missing: ['x'] } }, EC2);
    no({ detail: { state: { nested: ['terminated'] } } }, EC2);
  });

  it('treats the values of a pattern array as OR', () => {
    yes({ source: ['aws.ec2', 'aws.fargate'] }, EC2);
    yes({ source: ['aws.ec2', 'aws.fargate'] }, { ...EC2, source: 'aws.fargate' });
    no({ source: ['aws.ec2', 'aws.fargate'] }, { ...EC2, source: 'aws.s3' });
  });

  it('matches an array in the event when it shares a value with the pattern array', () => {
    const p = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'],
    };
    yes(p, { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] });
    no(p, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] });
    no(p, { resources: [] });
    yes({ detail: { items: { sku: ['b'] } } }, { detail: { items: [{ sku: 'a' }, { sku: 'b' }] } });
  });

  it('matches null and the empty string, which are not interchangeable', () => {
    const event = { ...EC2, detail: { eventVersion: '', responseElements: null } };
    yes({ detail: { eventVersion: [''] } }, event);
    yes({ detail: { responseElements: [null] } }, event);
    no({ detail: { responseElements: [''] } }, event);
    no({ detail: { eventVersion: [null] } }, event);
  });

  it('compares numbers by value and never a number with a string', () => {
    yes({ detail: { n: [5] } }, { detail: { n: 5.0 } });
    no({ detail: { n: ['5'] } }, { detail: { n: 5 } });
    no({ detail: { n: [5] } }, { detail: { n: '5' } });
    yes({ detail: { ok: [true] } }, { detail: { ok: true } });
  });
});

describe('event patterns: string operators', () => {
  it('prefix, also ignoring case', () => {
    yes({ time: [{ prefix: '2017-12-22' }] }, EC2);
    no({ time: [{ prefix: '2017-10-02' }] }, EC2);
    yes({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'eventbridge' } });
    yes({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'EVENTBRIDGE' } });
    no({ detail: { service: [{ prefix: 'EventB' }] } }, { detail: { service: 'eventbridge' } });
  });

  it('suffix, also ignoring case', () => {
    yes({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' });
    no({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' });
    yes({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { detail: { FileName: 'image.PNG' } });
  });

  it('equals-ignore-case', () => {
    yes({ detail: { name: [{ 'equals-ignore-case': 'alice' }] } }, { detail: { name: 'ALICE' } });
    yes({ detail: { name: [{ 'equals-ignore-case': 'alice' }] } }, { detail: { name: 'Alice' } });
    no({ detail: { name: [{ 'equals-ignore-case': 'alice' }] } }, { detail: { name: 'alicia' } });
  });

  it('wildcard: * stands for any characters, \\* for a star', () => {
    const p = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    yes(p, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' });
    no(p, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' });
    yes({ FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/sub/dir/a.png' });
    no({ FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/a.jpg' });
    yes({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' });
    no({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' });
  });
});

describe('event patterns: anything-but', () => {
  it('of a string, a number and lists of them', () => {
    yes({ detail: { state: [{ 'anything-but': 'initializing' }] } }, detail({ state: 'running' }));
    no({ detail: { state: [{ 'anything-but': 'initializing' }] } }, detail({ state: 'initializing' }));
    yes({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, detail({ 'x-limit': 456 }));
    no({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, detail({ 'x-limit': 123 }));
    no({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, detail({ state: 'stopped' }));
    yes({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, detail({ state: 'running' }));
    no({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, detail({ 'x-limit': 200 }));
    yes({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, detail({ 'x-limit': 301.8 }));
  });

  it('does not match a field that is absent', () => {
    no({ detail: { state: [{ 'anything-but': 'initializing' }] } }, detail({}));
  });

  it('with prefix, suffix, equals-ignore-case and wildcard', () => {
    no({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, detail({ state: 'initializing' }));
    yes({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, detail({ state: 'running' }));
    no({ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, detail({ FileName: 'a.png' }));
    yes({ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, detail({ FileName: 'a.txt' }));
    no({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, detail({ state: 'INITIALIZING' }));
    no({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'overloaded'] } }] } }, detail({ state: 'Stopped' }));
    yes({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'overloaded'] } }] } }, detail({ state: 'running' }));
    no({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, detail({ FilePath: 'src/lib/a.js' }));
    yes({ detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, detail({ FilePath: 'src/app/a.js' }));
  });
});

describe('event patterns: numeric, cidr, exists', () => {
  it('numeric ranges and equality', () => {
    const p = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } };
    yes(p, detail({ 'c-count': 5 }));
    no(p, detail({ 'c-count': 0 }));
    no(p, detail({ 'c-count': 5.5 }));
    no(p, detail({ 'c-count': '3' }));
    yes({ detail: { 'd-count': [{ numeric: ['<', 10] }] } }, detail({ 'd-count': 3 }));
    yes({ detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, detail({ 'x-limit': 301.8 }));
    yes({ detail: { n: [{ numeric: ['>=', 1.5, '<', 2] }] } }, detail({ n: 1.5 }));
  });

  it('cidr, IPv4 and IPv6', () => {
    yes({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, detail({ 'source-ip': '10.0.0.255' }));
    no({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, detail({ 'source-ip': '10.0.1.0' }));
    no({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, detail({ 'source-ip': 'not-an-ip' }));
    yes({ detail: { 'source-ip': [{ cidr: '2001:db8::/64' }] } }, detail({ 'source-ip': '2001:db8::1' }));
    no({ detail: { 'source-ip': [{ cidr: '2001:db8::/64' }] } }, detail({ 'source-ip': '2001:db9::1' }));
  });

  it('exists: true and false, on leaves only', () => {
    yes({ detail: { state: [{ exists: true }] } }, EC2);
    no({ detail: { state: [{ exists: false }] } }, EC2);
    yes({ detail: { state: [{ exists: false }] } }, detail({}));
    no({ detail: { state: [{ exists: true }] } }, detail({}));
    no({ detail: [{ exists: true }] }, EC2);
    yes({ detail: { c: [{ exists: false }, 'x'] } }, detail({}));
  });
});

describe('event patterns: $or', () => {
  it('matches when any alternative matches', () => {
    const p = { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } };
    yes(p, detail({ 'c-count': 3 }));
    yes(p, detail({ 'd-count': 9 }));
    yes(p, detail({ 'x-limit': 301.8 }));
    no(p, detail({ 'c-count': 6, 'd-count': 10, 'x-limit': 300 }));
  });

  it('combines with other fields and nests alternatives at the top level', () => {
    const p = { source: ['aws.ec2'], $or: [{ 'detail-type': ['Nope'] }, { detail: { state: ['terminated', 'stopped'] } }] };
    yes(p, EC2);
    no(p, detail({ state: 'running' }));
    no({ ...p, source: ['aws.s3'] }, EC2);
  });
});

describe('event patterns: the documented complex example', () => {
  it('matches the documented event on every filter at once', () => {
    const p = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    const event = { ...EC2, time: '2017-10-02T18:43:48Z', detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.0', 'instance-id': 'i-123', state: 'running' } };
    yes(p, event);
    no(p, { ...event, detail: { ...event.detail, 'x-limit': 300 } });
    no(p, { ...event, time: '2017-10-03T00:00:00Z' });
  });
});

describe('event patterns EventBridge refuses', () => {
  const refused = (pattern: string, reason: RegExp) =>
    assert.throws(() => compilePattern(pattern), (err: unknown) => err instanceof EventsError && err.code === 'InvalidEventPatternException' && reason.test(err.message));

  it('refuses malformed patterns with InvalidEventPatternException and the reason', () => {
    refused('not json', /not valid JSON/);
    refused('[]', /not an object/);
    refused('{"source": "aws.ec2"}', /must be an object or an array/);
    refused('{"source": []}', /Empty arrays/);
    refused('{"source": [["a"]]}', /Match value/);
    refused('{"a": [{"nope": 1}]}', /Unrecognized match type nope/);
    refused('{"a": [{"prefix": 1}]}', /prefix match pattern must be a string/);
    refused('{"a": [{"exists": "yes"}]}', /either true or false/);
    refused('{"a": [{"numeric": [">", "x"]}]}', /numeric/);
    refused('{"a": [{"numeric": ["<", 5, ">", 1]}]}', /numeric/);
    refused('{"a": [{"numeric": [">", 5, "<", 1]}]}', /Bottom must be less than top/);
    refused('{"a": [{"numeric": ["!=", 5]}]}', /Unrecognized numeric range operator/);
    refused('{"a": [{"cidr": "10.0.0.0/33"}]}', /Malformed CIDR/);
    refused('{"a": [{"wildcard": "a**b"}]}', /Consecutive wildcard/);
    refused('{"a": [{"anything-but": []}]}', /anything-but list/);
    refused('{"a": [{"anything-but": {"contains": "x"}}]}', /Unsupported anything-but/);
    refused('{"$or": [{"a": ["x"]}]}', /at least two/);
    refused('{"a": [{"prefix": "x", "suffix": "y"}]}', /exactly one key/);
  });
});
