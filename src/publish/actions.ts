/**
 * Every action the Security Hub publisher sends: feeds `emr-audit permissions --security-hub` without
 * loading the SDK (a test holds this list and the calls together).
 */
export const SECURITY_HUB_ACTIONS = ['securityhub:DescribeHub', 'securityhub:GetFindings', 'securityhub:BatchImportFindings'] as const
