import {jsonText} from '../shared/escape.js'
import type {ScanReport} from './model.js'

export function renderJson(report: ScanReport): string {
  return `${jsonText(report)}\n`
}
