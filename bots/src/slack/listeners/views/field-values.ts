import type { ViewStateValue } from '@slack/bolt';

/** A file picked in a `file_input`, as the view state carries it. */
export interface PickedFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** Reads a submitted view's inputs by block id (each input's action id is `value`). */
export function fieldValues(values: Record<string, Record<string, ViewStateValue>>) {
  const field = (blockId: string) => values[blockId]?.value as (ViewStateValue & { files?: PickedFile[] }) | undefined;
  return {
    text: (blockId: string) => (field(blockId)?.value ?? '').trim(),
    selected: (blockId: string) => field(blockId)?.selected_option?.value ?? undefined,
    files: (blockId: string): PickedFile[] => field(blockId)?.files ?? [],
    checked: (blockId: string, value: string) =>
      (field(blockId)?.selected_options ?? []).some((option) => option.value === value),
  };
}
