import type { ServerResponse } from 'node:http';
import type { NotificationConfiguration, ObjectStore } from '../../objects/index.js';
import { S3Error } from '../../objects/index.js';
import { type Element, child, children, type Node, parseXml } from './xml.js';
import { document, isoTime, malformed, type S3Request, sendEmpty, sendXml } from './respond.js';
import { readAll } from './read.js';

const OWNER: Node = ['Owner', [['ID', 'hearth'], ['DisplayName', 'hearth']]];

export function listBuckets(store: ObjectStore, res: ServerResponse): void {
  const buckets = store.listBuckets().map((b): Node => ['Bucket', [['Name', b.name], ['CreationDate', isoTime(b.created)]]]);
  sendXml(res, 200, document('ListAllMyBucketsResult', [OWNER, ['Buckets', buckets]]));
}

export async function createBucket(store: ObjectStore, req: S3Request, res: ServerResponse): Promise<void> {
  const text = (await readAll(req.raw, 64 * 1024)).toString('utf8').trim();
  if (text) {
    // Hearth is one region: a LocationConstraint naming another is refused, not ignored.
    let loc: string | undefined;
    try {
      loc = child(parseXml(text), 'LocationConstraint')?.text;
    } catch {
      throw malformed();
    }
    if (loc && loc !== store.region) throw new S3Error('InvalidArgument', `This node serves region ${store.region} only`, { ArgumentName: 'LocationConstraint', ArgumentValue: loc });
  }
  store.createBucket(req.bucket);
  sendEmpty(res, 200, { location: `/${req.bucket}` });
}

export function deleteBucket(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  store.deleteBucket(req.bucket);
  sendEmpty(res, 204);
}

export function headBucket(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  store.requireBucket(req.bucket);
  sendEmpty(res, 200, { 'x-amz-bucket-region': store.region });
}

export function getLocation(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  store.requireBucket(req.bucket);
  // S3 answers us-east-1 with an empty LocationConstraint.
  const region = store.region === 'us-east-1' ? '' : store.region;
  sendXml(res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`);
}

export function getNotification(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  const c = store.getNotification(req.bucket);
  const filter = (f: NotificationConfiguration['QueueConfigurations'][number]['Filter']): Node | undefined =>
    f?.Key?.FilterRules?.length ? ['Filter', [['S3Key', f.Key.FilterRules.map((r): Node => ['FilterRule', [['Name', r.Name], ['Value', r.Value]]])]]] : undefined;
  sendXml(
    res,
    200,
    document('NotificationConfiguration', [
      ...c.QueueConfigurations.map((q): Node => ['QueueConfiguration', [['Id', q.Id ?? ''], ['Queue', q.QueueArn], ...q.Events.map((e): Node => ['Event', e]), filter(q.Filter)]]),
      ...c.LambdaFunctionConfigurations.map((l): Node => ['CloudFunctionConfiguration', [['Id', l.Id ?? ''], ['CloudFunction', l.LambdaFunctionArn], ...l.Events.map((e): Node => ['Event', e]), filter(l.Filter)]]),
    ]),
  );
}

export async function putNotification(store: ObjectStore, req: S3Request, res: ServerResponse): Promise<void> {
  const text = (await readAll(req.raw, 1024 * 1024)).toString('utf8');
  let root: Element;
  try {
    root = parseXml(text);
  } catch {
    throw malformed();
  }
  for (const c of root.children) {
    if (!['QueueConfiguration', 'CloudFunctionConfiguration'].includes(c.name)) {
      throw new S3Error('NotImplemented', `${c.name} is not implemented; Hearth delivers to functions and queues`, { Element: c.name });
    }
  }
  const common = (c: Element) => ({
    Id: child(c, 'Id')?.text,
    Events: children(c, 'Event').map((e) => e.text),
    Filter: { Key: { FilterRules: children(child(child(c, 'Filter') ?? c, 'S3Key') ?? { name: '', children: [], text: '' }, 'FilterRule').map((r) => ({ Name: child(r, 'Name')?.text ?? '', Value: child(r, 'Value')?.text ?? '' })) } },
  });
  const config: NotificationConfiguration = {
    QueueConfigurations: children(root, 'QueueConfiguration').map((c) => ({ ...common(c), QueueArn: child(c, 'Queue')?.text ?? '' })),
    LambdaFunctionConfigurations: children(root, 'CloudFunctionConfiguration').map((c) => ({ ...common(c), LambdaFunctionArn: child(c, 'CloudFunction')?.text ?? '' })),
  };
  store.putNotification(req.bucket, config);
  sendEmpty(res, 200);
}
