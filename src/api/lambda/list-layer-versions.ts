import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, LV, maxItems } from './deps.js';
import { LAYER_PAGE_MAX, layerFilter, toLayerVersionsListItem } from './layer-configuration.js';

export const listLayerVersions = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${LV}/layers/{layer}/versions`,
  handler(req, res) {
    const page = d.layers.listVersions(req.params.layer!, layerFilter(req.query), req.query.get('Marker') ?? undefined, maxItems(req.query, LAYER_PAGE_MAX, LAYER_PAGE_MAX));
    sendJson(res, 200, {
      // Newest first, as Lambda lists them.
      LayerVersions: page.versions.map((v) => toLayerVersionsListItem(v, d)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    });
  },
});
