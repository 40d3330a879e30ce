/**
 * One loop for every paginated AWS listing. Each API names its token differently (Marker, NextToken,
 * IsTruncated + Marker), so the caller says how to read the next token from a page.
 */
export async function collectPages<P, T>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | undefined,
  items: (page: P) => T[],
): Promise<T[]> {
  const result: T[] = []
  let token: string | undefined
  do {
    const page = await fetchPage(token)
    result.push(...items(page))
    token = nextToken(page)
  } while (token)
  return result
}

export const byMarker = (page: {Marker?: string | undefined}): string | undefined => page.Marker
export const byNextToken = (page: {NextToken?: string | undefined}): string | undefined => page.NextToken
/** IAM: a Marker is only meaningful while IsTruncated is true. */
export const byTruncatedMarker = (page: {IsTruncated?: boolean | undefined; Marker?: string | undefined}): string | undefined =>
  page.IsTruncated ? page.Marker : undefined
