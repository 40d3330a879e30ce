/** Every remediation emr-audit ships, one module per kind of fix (REQUIREMENTS "Auto-apply" column). */
import {blockPublicAccess} from './block-public-access.js'
import {instanceProfile} from './instance-profile.js'
import {passRole} from './passrole.js'
import {runtimeRoles} from './runtime-roles.js'
import {serviceLinkedRoles} from './service-linked-roles.js'
import {trustConditions} from './trust-conditions.js'
import type {Remediation} from './types.js'
import {v2Tags} from './v2-tags.js'

export const REMEDIATIONS: readonly Remediation[] = [v2Tags, instanceProfile, passRole, runtimeRoles, trustConditions, serviceLinkedRoles, blockPublicAccess]
