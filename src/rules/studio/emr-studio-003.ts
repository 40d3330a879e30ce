import {studioSecretResources, EXAMINED_SOURCES} from '../tag/examined.js'
import {requireV2Tag} from '../tag/tag-contract.js'
import {defineRule} from '../types.js'

export default defineRule({
  id: 'EMR-STUDIO-003',
  group: 'STUDIO',
  title: 'Git-credential secrets used by Studio carry the v2 tag',
  severity: 'medium',
  rationale: 'The documented Studio service role reads only secrets that carry the v2 tag; linking Workspaces to Git fails otherwise.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-user-role.html',
  ],
  remediation: {
    summary:
      'secretsmanager:TagResource with the v2 tag — only for secrets named emr-studio-… or listed in the config (tagging lets the Studio service role read the value).',
    autoApply: 'guarded',
  },
  reads: [...EXAMINED_SOURCES],
  evaluate(inventory, {index}) {
    return requireV2Tag(inventory, studioSecretResources(inventory, index), 'Workspaces cannot use it for Git')
  },
})
