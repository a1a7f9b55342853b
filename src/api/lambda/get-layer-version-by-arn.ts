import { HearthError } from '../../common/index.js';
import type { Handler } from '../http.js';
import { sendJson } from '../http.js';
import type { LambdaApiDeps } from './deps.js';
import { toLayerVersion } from './layer-configuration.js';

/**
 * `GET /2018-10-31/layers?find=LayerVersion&Arn=…`. It shares its path with ListLayers,
 * whose route hands the request here when `find` is `LayerVersion`.
 */
export const getLayerVersionByArn = (d: LambdaApiDeps): Handler => (req, res) => {
  const arn = req.query.get('Arn');
  if (!arn) throw new HearthError('ValidationException', "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null");
  sendJson(res, 200, toLayerVersion(d.layers.getByArn(arn), d, req));
};
