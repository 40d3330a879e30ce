/** What `permissions --fix --plan FILE` prints: the policy for applying and rolling back one reviewed plan. */
import {planPolicy} from '../fix/plan-permissions.js'
import {readPlan} from './run-fix.js'

export async function permissionsForPlan(path: string): Promise<ReturnType<typeof planPolicy>> {
  return planPolicy(await readPlan(path), path)
}
