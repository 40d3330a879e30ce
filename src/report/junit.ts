/**
 * JUnit XML for CI test panels: a test suite per rule group, a test case per rule × resource; failing
 * findings are failures, unknown and errored checks are skipped or errors, suppressed ones are skipped.
 */
import {createRequire} from 'node:module'
import type {Builder} from 'junit-report-builder'
import type {Finding} from '../findings/types.js'
import {forXml as xml} from '../shared/escape.js'
import type {ScanReport} from './model.js'

// Loaded (with the XML library under it) only when a JUnit report is written. A CommonJS package whose types
// describe an ES default export: at run time the module itself is the builder.
function junit(): Builder {
  const junitModule = createRequire(import.meta.url)('junit-report-builder') as {default?: Builder} & Builder
  return junitModule.default ?? junitModule
}

const groupOf = (ruleId: string): string => ruleId.split('-')[1] ?? 'OTHER'

function caseName(finding: Finding): string {
  const region = finding.resource.region ? ` (${finding.resource.region})` : ''
  return xml(`${finding.ruleId} ${finding.resource.type} ${finding.resource.id}${finding.subKey ? ` [${finding.subKey}]` : ''}${region}`)
}

export function renderJunit(report: ScanReport): string {
  const builder = junit().newBuilder()
  const groups = [...new Set(report.findings.map((finding) => groupOf(finding.ruleId)))].sort()
  for (const group of groups) {
    const suite = builder.testSuite().name(xml(`emr-audit ${group}`))
    for (const finding of report.findings.filter((entry) => groupOf(entry.ruleId) === group)) {
      const testCase = suite
        .testCase()
        .className(xml(`emr-audit.${finding.ruleId}`))
        .name(caseName(finding))
      if (finding.status === 'fail') testCase.failure(xml(`[${finding.severity}] ${finding.message}`), finding.severity)
      else if (finding.status === 'error') testCase.error(xml(finding.message), 'rule-error')
      else if (finding.status === 'unknown' || finding.status === 'suppressed') {
        testCase
          .skipped()
          .standardOutput(xml(finding.status === 'suppressed' ? `suppressed: ${finding.suppression?.reason ?? ''}` : `unknown: ${finding.message}`))
      }
    }
  }
  return `${builder.build()}\n`
}
