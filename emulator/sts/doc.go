// Package sts emulates AWS STS for fakecloud: GetCallerIdentity,
// AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken and
// GetAccessKeyInfo.
//
// Importing the package registers the "sts" service. Temporary credentials
// it issues (ASIA… keys) are kept in the emulator's store and offered to the
// core through ServiceDef.Credentials, so requests signed with them act in
// the role's account, signature verification knows their secret, and
// GetCallerIdentity answers the assumed-role ARN. Expirations follow the
// emulator clock.
package sts
