package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

// ssoFetcher is the session's default awsconfig.SSOFetcher: an unsigned
// client of the "sso" service in the profile's sso_region calls
// GetRoleCredentials, as botocore's SSOCredentialFetcher does (2.27). The
// client honours AWS_ENDPOINT_URL_SSO, so tests can point it at a local
// server.
type ssoFetcher struct{ s *Session }

func (f ssoFetcher) GetRoleCredentials(ctx context.Context, in awsconfig.SSORoleInput) (awsconfig.Credentials, error) {
	c, err := f.s.Client("sso", ClientOptions{Region: in.Region, Config: &Config{SignatureVersion: Unsigned}})
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	out, err := c.Call(ctx, "GetRoleCredentials", Params{"roleName": in.RoleName, "accountId": in.AccountID, "accessToken": in.AccessToken})
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == "UnauthorizedException" {
		return awsconfig.Credentials{}, awsconfig.ErrUnauthorizedSSOToken
	}
	if err != nil {
		return awsconfig.Credentials{}, err
	}
	cr := awsconfig.Credentials{
		AccessKeyID:     out.String("roleCredentials.accessKeyId"),
		SecretAccessKey: out.String("roleCredentials.secretAccessKey"),
		SessionToken:    out.String("roleCredentials.sessionToken"),
		AccountID:       in.AccountID,
		Method:          awsconfig.MethodSSO,
	}
	if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
		return cr, fmt.Errorf("session: SSO GetRoleCredentials response without credentials")
	}
	// expiration is epoch milliseconds.
	if ms := out.Int("roleCredentials.expiration"); ms > 0 {
		cr.Expires = time.UnixMilli(ms).UTC()
	}
	return cr, nil
}
