import type {ResourceRef} from '../../findings/types.js'
import type {Studio} from '../../inventory/schema.js'

export function studioResource(studio: Studio): ResourceRef {
  return {type: 'emr-studio', id: studio.id, region: studio.region, ...(studio.arn ? {arn: studio.arn} : {}), ...(studio.name ? {name: studio.name} : {})}
}

/** `s3://bucket/prefix` → bucket and prefix (no leading slash). */
export function parseS3Location(location: string): {bucket: string; prefix: string} | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location)
  return match ? {bucket: match[1] as string, prefix: match[2] ?? ''} : undefined
}
