package interop

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// A secret's versions move through AWSCURRENT, AWSPREVIOUS and AWSPENDING
// as a rotation does it by hand; DeleteSecret makes it unreadable
// (InvalidRequestException) until RestoreSecret.
func TestSecretsManagerStagesDeleteRestore(t *testing.T) {
	eachTarget(t, "secretsmanager", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := secretsmanager.NewFromConfig(cfg)
		name := uniq("go/secret")
		created := must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String("v1"),
			Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("interop")}}})).ok(t)
		v1 := aws.ToString(created.VersionId)
		get := func(stage string) *secretsmanager.GetSecretValueOutput {
			return must(c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name, VersionStage: &stage})).ok(t)
		}
		if g := get("AWSCURRENT"); aws.ToString(g.SecretString) != "v1" || aws.ToString(g.VersionId) != v1 || !slices.Contains(g.VersionStages, "AWSCURRENT") {
			t.Errorf("GetSecretValue = %q %s %v", aws.ToString(g.SecretString), aws.ToString(g.VersionId), g.VersionStages)
		}
		put := must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretString: aws.String("v2")})).ok(t)
		if g := get("AWSPREVIOUS"); aws.ToString(g.SecretString) != "v1" {
			t.Errorf("AWSPREVIOUS after PutSecretValue = %q", aws.ToString(g.SecretString))
		}
		// A rotation's createSecret step: a pending version ...
		pend := must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretBinary: []byte{0, 1, 2},
			VersionStages: []string{"AWSPENDING"}})).ok(t)
		if g := get("AWSCURRENT"); aws.ToString(g.SecretString) != "v2" {
			t.Errorf("AWSCURRENT after a pending put = %q", aws.ToString(g.SecretString))
		}
		// ... and its finishSecret step moves AWSCURRENT onto it.
		must(c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: &name, VersionStage: aws.String("AWSCURRENT"),
			MoveToVersionId: pend.VersionId, RemoveFromVersionId: put.VersionId})).ok(t)
		if g := get("AWSCURRENT"); string(g.SecretBinary) != "\x00\x01\x02" || g.SecretString != nil {
			t.Errorf("AWSCURRENT after the stage move = %q / %v", g.SecretBinary, g.SecretString)
		}
		if g := get("AWSPREVIOUS"); aws.ToString(g.VersionId) != aws.ToString(put.VersionId) {
			t.Errorf("AWSPREVIOUS after the stage move = %s, want %s", aws.ToString(g.VersionId), aws.ToString(put.VersionId))
		}
		// ... and drops AWSPENDING, which would otherwise mark the rotation unfinished.
		must(c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: &name, VersionStage: aws.String("AWSPENDING"),
			RemoveFromVersionId: pend.VersionId})).ok(t)
		// v1 lost its last label: a deprecated version, listed only on request.
		ids := must(c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: &name})).ok(t)
		all := must(c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: &name, IncludeDeprecated: aws.Bool(true)})).ok(t)
		if len(ids.Versions) != 2 || len(all.Versions) != 3 {
			t.Errorf("ListSecretVersionIds = %d versions (%d with deprecated), want 2 (3)", len(ids.Versions), len(all.Versions))
		}
		// Without a rotation hook RotateSecret records the schedule.
		must(c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: &name, RotateImmediately: aws.Bool(false),
			RotationLambdaARN: aws.String("arn:aws:lambda:us-east-1:000000000000:function:rotate"),
			RotationRules:     &smtypes.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)}})).ok(t)
		d := must(c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})).ok(t)
		if !aws.ToBool(d.RotationEnabled) || aws.ToInt64(d.RotationRules.AutomaticallyAfterDays) != 30 || len(d.Tags) != 1 {
			t.Errorf("DescribeSecret rotation %v rules %+v tags %v", aws.ToBool(d.RotationEnabled), d.RotationRules, d.Tags)
		}

		del := must(c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: &name, RecoveryWindowInDays: aws.Int64(7)})).ok(t)
		if del.DeletionDate == nil {
			t.Error("DeleteSecret has no DeletionDate")
		}
		_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name})
		var ire *smtypes.InvalidRequestException
		if !errors.As(err, &ire) {
			t.Errorf("GetSecretValue of a deleted secret: %v, want InvalidRequestException", err)
		}
		must(c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: &name})).ok(t)
		if g := get("AWSCURRENT"); aws.ToString(g.VersionId) != aws.ToString(pend.VersionId) {
			t.Errorf("after RestoreSecret AWSCURRENT = %s", aws.ToString(g.VersionId))
		}
		must(c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: &name, ForceDeleteWithoutRecovery: aws.Bool(true)})).ok(t)
		_, err = c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
		var rnf *smtypes.ResourceNotFoundException
		if !errors.As(err, &rnf) {
			t.Errorf("DescribeSecret after a forced delete: %v, want ResourceNotFoundException", err)
		}
	})
}

// Parameters of the three types, GetParametersByPath (recursive and not,
// paged by the SDK's paginator), SecureString decrypted only on request, and
// ParameterAlreadyExists / ParameterNotFound.
func TestSSMParameterStore(t *testing.T) {
	eachTarget(t, "ssm", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := ssm.NewFromConfig(cfg)
		root := "/" + uniq("go-app")
		put := func(name, value string, typ ssmtypes.ParameterType) {
			must(c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(root + name), Value: &value, Type: typ})).ok(t)
		}
		put("/db/host", "db.local", ssmtypes.ParameterTypeString)
		put("/db/password", "s3cr3t", ssmtypes.ParameterTypeSecureString)
		put("/hosts", "a,b,c", ssmtypes.ParameterTypeStringList)
		put("/db/replicas/one", "r1", ssmtypes.ParameterTypeString)

		p := must(c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(root + "/db/host")})).ok(t).Parameter
		if aws.ToString(p.Value) != "db.local" || p.Version != 1 || p.Type != ssmtypes.ParameterTypeString {
			t.Errorf("GetParameter = %+v", p)
		}
		enc := must(c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(root + "/db/password")})).ok(t).Parameter
		dec := must(c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(root + "/db/password"), WithDecryption: aws.Bool(true)})).ok(t).Parameter
		if aws.ToString(enc.Value) == "s3cr3t" || aws.ToString(dec.Value) != "s3cr3t" {
			t.Errorf("SecureString without decryption %q, with %q", aws.ToString(enc.Value), aws.ToString(dec.Value))
		}
		_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(root + "/db/host"), Value: aws.String("x"), Type: ssmtypes.ParameterTypeString})
		var exists *ssmtypes.ParameterAlreadyExists
		if !errors.As(err, &exists) {
			t.Errorf("PutParameter over an existing name: %v, want ParameterAlreadyExists", err)
		}
		v2 := must(c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(root + "/db/host"), Value: aws.String("db2.local"), Overwrite: aws.Bool(true)})).ok(t)
		if v2.Version != 2 {
			t.Errorf("overwrite Version = %d, want 2", v2.Version)
		}
		old := must(c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(root + "/db/host:1")})).ok(t).Parameter
		if aws.ToString(old.Value) != "db.local" {
			t.Errorf("name:1 selector = %q", aws.ToString(old.Value))
		}

		byPath := func(path string, recursive bool) map[string]string {
			out := map[string]string{}
			pg := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{Path: aws.String(root + path),
				Recursive: aws.Bool(recursive), WithDecryption: aws.Bool(true), MaxResults: aws.Int32(1)})
			for pg.HasMorePages() {
				for _, p := range must(pg.NextPage(ctx)).ok(t).Parameters {
					out[aws.ToString(p.Name)[len(root):]] = aws.ToString(p.Value)
				}
			}
			return out
		}
		if got := byPath("/db", false); len(got) != 2 || got["/db/host"] != "db2.local" || got["/db/password"] != "s3cr3t" {
			t.Errorf("GetParametersByPath /db = %v", got)
		}
		if got := byPath("/", true); len(got) != 4 || got["/hosts"] != "a,b,c" || got["/db/replicas/one"] != "r1" {
			t.Errorf("GetParametersByPath / recursive = %v", got)
		}
		gp := must(c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{root + "/hosts", root + "/nope"}})).ok(t)
		if len(gp.Parameters) != 1 || len(gp.InvalidParameters) != 1 || gp.InvalidParameters[0] != root+"/nope" {
			t.Errorf("GetParameters = %d found, invalid %v", len(gp.Parameters), gp.InvalidParameters)
		}
		must(c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(root + "/hosts")})).ok(t)
		_, err = c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(root + "/hosts")})
		var nf *ssmtypes.ParameterNotFound
		if !errors.As(err, &nf) {
			t.Errorf("GetParameter after delete: %v, want ParameterNotFound", err)
		}
	})
}
