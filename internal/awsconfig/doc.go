// Package awsconfig reads the AWS shared configuration and credentials files,
// selects the active profile and region, and resolves credentials through
// botocore's provider chain, so that a fakecloud session behaves exactly like a
// boto3 Session built in the same environment.
//
// The file format is botocore's: Python's configparser.RawConfigParser in strict
// mode (full-line '#' and ';' comments, inline comments kept as part of the value,
// case-insensitive option names, indented continuation lines), followed by
// botocore's profile mapping ([default], [profile x], [sso-session x],
// [services x]) and nested sub-sections ("s3 =" followed by indented
// "key = value" lines). Load merges the credentials file into the profile map as
// botocore's Session.full_config does: credentials-file values win key by key.
//
// Environment variables are read through an injectable lookup function so tests
// never touch the process environment. Network-backed credential sources
// (container credentials, EC2 instance metadata) take an injectable *http.Client
// and base URL; STS calls are injected through RoleAssumer and
// WebIdentityAssumer, which the session implements with its own STS client.
//
// Item numbers in comments and test names ("2.14") refer to
// ../shared/specs/session-spec.md.
package awsconfig
