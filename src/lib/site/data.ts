/** The one entry point pages use: the site model of the catalog named by ATLAS_CATALOG, built once. */
import { loadCatalog } from './catalog.ts';
import { buildModel, type SiteModel } from './model.ts';

const memo = globalThis as typeof globalThis & { __atlasModel?: { file: string; model: SiteModel } };

export function site(): SiteModel {
  const catalog = loadCatalog();
  const file = process.env.ATLAS_CATALOG!;
  if (memo.__atlasModel?.file !== file || memo.__atlasModel.model.catalog !== catalog) {
    memo.__atlasModel = { file, model: buildModel(catalog) };
  }
  return memo.__atlasModel.model;
}
