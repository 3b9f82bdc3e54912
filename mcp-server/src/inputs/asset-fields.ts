import { z } from 'zod';

const ASSET_ID_MESSAGE = 'send an asset id from list_assets or add_asset.';

export const assetIdField = z.string({ error: ASSET_ID_MESSAGE }).min(1, { error: ASSET_ID_MESSAGE });

/** Tags: the core checks each one (1–50 characters) so the refusal carries its stable code. */
export const tagListField = z.array(z.string({ error: 'send each tag as text, e.g. "logo".' }), {
  error: 'send a list of tags, e.g. ["logo", "blue"].',
});
