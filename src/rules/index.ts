/** Every rule emr-audit ships, in catalog order. */
import profile001 from './profile/emr-profile-001.js'
import profile002 from './profile/emr-profile-002.js'
import profile003 from './profile/emr-profile-003.js'
import role001 from './role/emr-role-001.js'
import role002 from './role/emr-role-002.js'
import trust001 from './trust/emr-trust-001.js'
import trust002 from './trust/emr-trust-002.js'
import trust003 from './trust/emr-trust-003.js'
import trust004 from './trust/emr-trust-004.js'
import trust005 from './trust/emr-trust-005.js'
import trust006 from './trust/emr-trust-006.js'
import cluster001 from './cluster/emr-cluster-001.js'
import cluster002 from './cluster/emr-cluster-002.js'
import cluster003 from './cluster/emr-cluster-003.js'
import cluster004 from './cluster/emr-cluster-004.js'
import passrole001 from './passrole/emr-passrole-001.js'
import passrole002 from './passrole/emr-passrole-002.js'
import passrole003 from './passrole/emr-passrole-003.js'
import policy001 from './policy/emr-policy-001.js'
import policy002 from './policy/emr-policy-002.js'
import policy003 from './policy/emr-policy-003.js'
import policy004 from './policy/emr-policy-004.js'
import policy005 from './policy/emr-policy-005.js'
import policy006 from './policy/emr-policy-006.js'
import runtime001 from './runtime/emr-runtime-001.js'
import runtime002 from './runtime/emr-runtime-002.js'
import runtime003 from './runtime/emr-runtime-003.js'
import runtime004 from './runtime/emr-runtime-004.js'
import runtime005 from './runtime/emr-runtime-005.js'
import runtime006 from './runtime/emr-runtime-006.js'
import seccfg001 from './seccfg/emr-seccfg-001.js'
import seccfg002 from './seccfg/emr-seccfg-002.js'
import seccfg003 from './seccfg/emr-seccfg-003.js'
import seccfg004 from './seccfg/emr-seccfg-004.js'
import seccfg005 from './seccfg/emr-seccfg-005.js'
import seccfg006 from './seccfg/emr-seccfg-006.js'
import slr001 from './slr/emr-slr-001.js'
import slr002 from './slr/emr-slr-002.js'
import studio001 from './studio/emr-studio-001.js'
import studio002 from './studio/emr-studio-002.js'
import studio003 from './studio/emr-studio-003.js'
import studio004 from './studio/emr-studio-004.js'
import studio005 from './studio/emr-studio-005.js'
import studio006 from './studio/emr-studio-006.js'
import tag001 from './tag/emr-tag-001.js'
import tag002 from './tag/emr-tag-002.js'
import tag003 from './tag/emr-tag-003.js'
import {type Rule, withAccessScope} from './types.js'

export const RULES: readonly Rule[] = ([
  role001, role002,
  profile001, profile002, profile003,
  trust001, trust002, trust003, trust004, trust005, trust006,
  policy001, policy002, policy003, policy004, policy005, policy006,
  passrole001, passrole002, passrole003,
  tag001, tag002, tag003,
  studio001, studio002, studio003, studio004, studio005, studio006,
  runtime001, runtime002, runtime003, runtime004, runtime005, runtime006,
  seccfg001, seccfg002, seccfg003, seccfg004, seccfg005, seccfg006,
  cluster001, cluster002, cluster003, cluster004,
  slr001, slr002,
] satisfies Rule[]).map(withAccessScope)

export type {Rule, RuleContext, RuleMetadata, RuleOutcome} from './types.js'
