package sts

import "github.com/fakecloud/fakecloud/emulator"

func init() {
	emulator.Register(emulator.ServiceDef{
		Name: "sts",
		Operations: map[string]emulator.Handler{
			"GetCallerIdentity":         getCallerIdentity,
			"AssumeRole":                assumeRole,
			"AssumeRoleWithWebIdentity": assumeRoleWithWebIdentity,
			"GetSessionToken":           getSessionToken,
			"GetAccessKeyInfo":          getAccessKeyInfo,
		},
		Credentials: lookupCredentials,
		State:       state,
	})
}
