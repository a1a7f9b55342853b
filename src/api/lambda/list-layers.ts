import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, LV, maxItems } from './deps.js';
import { getLayerVersionByArn } from './get-layer-version-by-arn.js';
import { LAYER_PAGE_MAX, layerFilter, toLayerVersionsListItem } from './layer-configuration.js';

export const listLayers = (d: LambdaApiDeps): Route => {
  const byArn = getLayerVersionByArn(d);
  return {
    method: 'GET',
    path: `${LV}/layers`,
    handler(req, res) {
      if (req.query.get('find') === 'LayerVersion') return byArn(req, res);
      const page = d.layers.listLayers(layerFilter(req.query), req.query.get('Marker') ?? undefined, maxItems(req.query, LAYER_PAGE_MAX, LAYER_PAGE_MAX));
      sendJson(res, 200, {
        Layers: page.layers.map((l) => ({ LayerName: l.name, LayerArn: d.layers.arn(l.name), LatestMatchingVersion: toLayerVersionsListItem(l.latest, d) })),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    },
  };
};
