package session

import (
	"context"
	"fmt"
	"time"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

// stsAssumer is the session's default RoleAssumer and WebIdentityAssumer:
// it calls STS with a client of this session, as botocore's assume-role
// providers do (2.21–2.23, 2.26). The STS client takes the session's region
// and honours AWS_ENDPOINT_URL_STS (2.22), so tests can point it at a local
// emulator.
type stsAssumer struct{ s *Session }

func (a stsAssumer) client(creds awsconfig.CredentialsProvider, unsigned bool) (*Client, error) {
	opts := ClientOptions{credsOverride: creds}
	if unsigned {
		opts.Config = &Config{SignatureVersion: Unsigned}
	}
	return a.s.Client("sts", opts)
}

func (a stsAssumer) AssumeRole(ctx context.Context, in awsconfig.AssumeRoleInput) (awsconfig.Credentials, error) {
	c, err := a.client(in.Source, false)
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	p := Params{"RoleArn": in.RoleARN, "RoleSessionName": in.RoleSessionName}
	if in.ExternalID != "" {
		p["ExternalId"] = in.ExternalID
	}
	if in.DurationSeconds > 0 {
		p["DurationSeconds"] = in.DurationSeconds
	}
	if in.SerialNumber != "" {
		p["SerialNumber"] = in.SerialNumber
		p["TokenCode"] = in.TokenCode
	}
	out, err := c.Call(ctx, "AssumeRole", p)
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	return stsCredentials(out, awsconfig.MethodAssumeRole)
}

func (a stsAssumer) AssumeRoleWithWebIdentity(ctx context.Context, in awsconfig.WebIdentityInput) (awsconfig.Credentials, error) {
	c, err := a.client(nil, true)
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	out, err := c.Call(ctx, "AssumeRoleWithWebIdentity", Params{"RoleArn": in.RoleARN, "RoleSessionName": in.RoleSessionName,
		"WebIdentityToken": in.WebIdentityToken})
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	return stsCredentials(out, awsconfig.MethodWebIdentity)
}

func stsCredentials(out *Output, method string) (awsconfig.Credentials, error) {
	cr := awsconfig.Credentials{
		AccessKeyID:     out.String("Credentials.AccessKeyId"),
		SecretAccessKey: out.String("Credentials.SecretAccessKey"),
		SessionToken:    out.String("Credentials.SessionToken"),
		Expires:         out.Time("Credentials.Expiration"),
		Method:          method,
	}
	if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
		return cr, fmt.Errorf("session: STS response without credentials")
	}
	if cr.Expires.IsZero() {
		cr.Expires = time.Now().Add(time.Hour)
	}
	return cr, nil
}
