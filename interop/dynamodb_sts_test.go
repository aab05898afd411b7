package interop

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type ddbItem struct {
	PK   string            `dynamodbav:"pk"`
	SK   int               `dynamodbav:"sk"`
	Tags []string          `dynamodbav:"tags,stringset"`
	Doc  map[string]any    `dynamodbav:"doc"`
	Attr map[string]string `dynamodbav:"attr,omitempty"`
}

// Items marshalled by attributevalue round-trip through PutItem, GetItem
// and a Query built with the expression package, and a failed condition is
// ConditionalCheckFailedException.
func TestDynamoDBAttributeValueAndExpressions(t *testing.T) {
	eachTarget(t, "dynamodb", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := dynamodb.NewFromConfig(cfg)
		table := uniq("go-t")
		must(c.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName: &table, BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{
				{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
				{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN}},
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
		})).ok(t)
		for i := 0; i < 5; i++ {
			av := must(attributevalue.MarshalMap(ddbItem{PK: "a", SK: i, Tags: []string{"x", "y"}, Doc: map[string]any{"n": i, "l": []any{"one", 2}}})).ok(t)
			must(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: av})).ok(t)
		}
		key := must(attributevalue.MarshalMap(map[string]any{"pk": "a", "sk": 3})).ok(t)
		got := must(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: key, ConsistentRead: aws.Bool(true)})).ok(t)
		var it ddbItem
		if err := attributevalue.UnmarshalMap(got.Item, &it); err != nil {
			t.Fatal(err)
		}
		if it.SK != 3 || len(it.Tags) != 2 || it.Doc["n"] != 3.0 {
			t.Errorf("GetItem = %+v", it)
		}

		kc := expression.Key("pk").Equal(expression.Value("a")).And(expression.Key("sk").GreaterThanEqual(expression.Value(2)))
		expr := must(expression.NewBuilder().WithKeyCondition(kc).WithProjection(expression.NamesList(expression.Name("sk"))).Build()).ok(t)
		q := must(c.Query(ctx, &dynamodb.QueryInput{TableName: &table, KeyConditionExpression: expr.KeyCondition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ProjectionExpression: expr.Projection(),
			ScanIndexForward: aws.Bool(false)})).ok(t)
		var sks []struct {
			SK int `dynamodbav:"sk"`
		}
		if err := attributevalue.UnmarshalListOfMaps(q.Items, &sks); err != nil {
			t.Fatal(err)
		}
		if len(sks) != 3 || sks[0].SK != 4 || sks[2].SK != 2 || len(q.Items[0]) != 1 {
			t.Errorf("Query = %+v (items %v)", sks, q.Items)
		}

		cond := must(expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name("pk"))).Build()).ok(t)
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: key, ConditionExpression: cond.Condition(),
			ExpressionAttributeNames: cond.Names()})
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			t.Errorf("conditional PutItem on an existing item: %v, want ConditionalCheckFailedException", err)
		}
		must(c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &table})).ok(t)
		_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})
		var rnf *types.ResourceNotFoundException
		if !errors.As(err, &rnf) {
			t.Errorf("DescribeTable after DeleteTable: %v, want ResourceNotFoundException", err)
		}
	})
}

// GetCallerIdentity names the default account for a non-numeric access key.
func TestSTSGetCallerIdentity(t *testing.T) {
	eachTarget(t, "sts", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		id := must(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})).ok(t)
		if aws.ToString(id.Account) != "000000000000" || !strings.HasPrefix(aws.ToString(id.Arn), "arn:aws:") {
			t.Errorf("GetCallerIdentity = %s %s", aws.ToString(id.Account), aws.ToString(id.Arn))
		}
	})
}

// AssumeRole issues temporary credentials (ASIA key, session token,
// expiry); a client signing with them acts as the assumed role in the
// role's account.
func TestSTSAssumeRoleCredentialsWork(t *testing.T) {
	eachTarget(t, "sts", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		role := "arn:aws:iam::111122223333:role/interop-role"
		out := must(sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &role,
			RoleSessionName: aws.String("go-session"), DurationSeconds: aws.Int32(900)})).ok(t)
		cr := out.Credentials
		if cr == nil || !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || aws.ToString(cr.SessionToken) == "" || cr.Expiration == nil {
			t.Fatalf("AssumeRole credentials = %+v", cr)
		}
		wantArn := "arn:aws:sts::111122223333:assumed-role/interop-role/go-session"
		if aws.ToString(out.AssumedRoleUser.Arn) != wantArn {
			t.Errorf("AssumedRoleUser.Arn = %s", aws.ToString(out.AssumedRoleUser.Arn))
		}
		tmp, err := Config(ctx, tg.url, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))))
		if err != nil {
			t.Fatal(err)
		}
		id := must(sts.NewFromConfig(tmp).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})).ok(t)
		if aws.ToString(id.Account) != "111122223333" || aws.ToString(id.Arn) != wantArn {
			t.Errorf("GetCallerIdentity with the role's credentials = %s %s", aws.ToString(id.Account), aws.ToString(id.Arn))
		}
		if tg.serves("sqs") {
			q := must(sqs.NewFromConfig(tmp).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(uniq("go-role"))})).ok(t)
			if !strings.Contains(aws.ToString(q.QueueUrl), "/111122223333/") {
				t.Errorf("a queue created with the role's credentials lives at %s, want the role's account", aws.ToString(q.QueueUrl))
			}
		}
	})
}
