/** The tag EMR's v2 managed policies key their permissions on (REQUIREMENTS "the v2 tag"). */
import type {Tag} from './schema.js'

export const V2_TAG_KEY = 'for-use-with-amazon-emr-managed-policies'
export const V2_TAG_VALUE = 'true'

/** A key that a person would read as the v2 key: any case, surrounding spaces. Catches near-misses. */
export function isV2LikeKey(key: string): boolean {
  return key.trim().toLowerCase() === V2_TAG_KEY
}

export function hasV2LikeTag(tags: readonly Tag[]): boolean {
  return tags.some((tag) => isV2LikeKey(tag.key))
}

/** SDK tag lists (`{Key, Value}`, possibly undefined fields) into the inventory's `{key, value}`. */
export function toTags(tags: ReadonlyArray<{Key?: string | undefined; Value?: string | undefined}> | undefined): Tag[] {
  return (tags ?? []).filter((tag) => tag.Key !== undefined).map((tag) => ({key: tag.Key as string, value: tag.Value ?? ''}))
}
