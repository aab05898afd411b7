package interop

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

func createPKTable(t *testing.T, ctx context.Context, c *dynamodb.Client, name string, stream *types.StreamSpecification) *types.TableDescription {
	t.Helper()
	return must(c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: &name, BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		StreamSpecification:  stream})).ok(t).TableDescription
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// TransactWriteItems is all-or-nothing: a failed ConditionCheck cancels the
// Put beside it, and the SDK decodes TransactionCanceledException's
// CancellationReasons in request order (with the item for
// ReturnValuesOnConditionCheckFailure=ALL_OLD). A conditional PutItem's
// ConditionalCheckFailedException carries the old Item the same way.
func TestDynamoDBTransactionsAndConditionErrors(t *testing.T) {
	eachTarget(t, "dynamodb", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := dynamodb.NewFromConfig(cfg)
		table := uniq("go-tx")
		createPKTable(t, ctx, c, table, nil)
		must(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: &table, Item: map[string]types.AttributeValue{"pk": s("alice"), "balance": n("100")}}},
			{Put: &types.Put{TableName: &table, Item: map[string]types.AttributeValue{"pk": s("bob"), "balance": n("5")}}},
		}})).ok(t)
		// A transfer alice -> bob of 30, guarded by alice's balance.
		must(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("alice")},
				UpdateExpression: aws.String("SET balance = balance - :a"), ConditionExpression: aws.String("balance >= :a"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":a": n("30")}}},
			{Update: &types.Update{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("bob")},
				UpdateExpression: aws.String("SET balance = balance + :a"), ExpressionAttributeValues: map[string]types.AttributeValue{":a": n("30")}}},
		}})).ok(t)
		tg2 := must(c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
			{Get: &types.Get{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("alice")}}},
			{Get: &types.Get{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("bob")}}},
		}})).ok(t)
		if len(tg2.Responses) != 2 || tg2.Responses[0].Item["balance"].(*types.AttributeValueMemberN).Value != "70" ||
			tg2.Responses[1].Item["balance"].(*types.AttributeValueMemberN).Value != "35" {
			t.Errorf("TransactGetItems after the transfer = %+v", tg2.Responses)
		}

		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: &table, Item: map[string]types.AttributeValue{"pk": s("carol"), "balance": n("1")}}},
			{ConditionCheck: &types.ConditionCheck{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("bob")},
				ConditionExpression: aws.String("balance > :big"), ExpressionAttributeValues: map[string]types.AttributeValue{":big": n("1000")},
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
		}})
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			t.Fatalf("TransactWriteItems with a failing ConditionCheck: %v, want TransactionCanceledException", err)
		}
		if r := tce.CancellationReasons; len(r) != 2 || aws.ToString(r[0].Code) != "None" || aws.ToString(r[1].Code) != "ConditionalCheckFailed" ||
			r[1].Item["balance"] == nil || r[1].Item["balance"].(*types.AttributeValueMemberN).Value != "35" {
			t.Errorf("CancellationReasons = %+v", r)
		}
		got := must(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{"pk": s("carol")}})).ok(t)
		if got.Item != nil {
			t.Errorf("the cancelled transaction's Put was applied: %v", got.Item)
		}

		_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{"pk": s("alice")},
			ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			t.Fatalf("conditional PutItem: %v, want ConditionalCheckFailedException", err)
		}
		if b, ok := ccf.Item["balance"].(*types.AttributeValueMemberN); !ok || b.Value != "70" {
			t.Errorf("ConditionalCheckFailedException.Item = %v", ccf.Item)
		}
		if code, status := apiErr(err); code != "ConditionalCheckFailedException" || status != 400 {
			t.Errorf("code %q status %d", code, status)
		}
	})
}

// Writes to a table with a NEW_AND_OLD_IMAGES stream come back through
// DynamoDB Streams' GetShardIterator(TRIM_HORIZON) and GetRecords as
// INSERT, MODIFY and REMOVE records with the right images.
func TestDynamoDBStreamsRecords(t *testing.T) {
	eachTarget(t, "dynamodb", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		if !tg.serves("dynamodbstreams") {
			t.Skip("fakecloud does not serve dynamodbstreams yet")
		}
		c, sc := dynamodb.NewFromConfig(cfg), dynamodbstreams.NewFromConfig(cfg)
		table := uniq("go-stream")
		td := createPKTable(t, ctx, c, table, &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages})
		if td.LatestStreamArn == nil || td.StreamSpecification == nil || !aws.ToBool(td.StreamSpecification.StreamEnabled) {
			t.Fatalf("CreateTable with a stream: LatestStreamArn %v spec %+v", td.LatestStreamArn, td.StreamSpecification)
		}
		key := map[string]types.AttributeValue{"pk": s("k")}
		must(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{"pk": s("k"), "v": n("1")}})).ok(t)
		must(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &table, Key: key, UpdateExpression: aws.String("SET v = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": n("2")}})).ok(t)
		must(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &table, Key: key})).ok(t)

		ls := must(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: &table})).ok(t)
		if len(ls.Streams) != 1 || aws.ToString(ls.Streams[0].StreamArn) != aws.ToString(td.LatestStreamArn) {
			t.Fatalf("ListStreams = %+v", ls.Streams)
		}
		desc := must(sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: td.LatestStreamArn})).ok(t).StreamDescription
		if desc.StreamStatus != stypes.StreamStatusEnabled || desc.StreamViewType != stypes.StreamViewTypeNewAndOldImages || len(desc.Shards) == 0 {
			t.Fatalf("DescribeStream = status %s view %s shards %d", desc.StreamStatus, desc.StreamViewType, len(desc.Shards))
		}
		var recs []stypes.Record
		for _, sh := range desc.Shards {
			it := must(sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: td.LatestStreamArn, ShardId: sh.ShardId,
				ShardIteratorType: stypes.ShardIteratorTypeTrimHorizon})).ok(t).ShardIterator
			for i := 0; it != nil && i < 10; i++ {
				out := must(sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})).ok(t)
				recs = append(recs, out.Records...)
				if len(out.Records) == 0 {
					break
				}
				it = out.NextShardIterator
			}
		}
		if len(recs) != 3 {
			t.Fatalf("GetRecords = %d records, want 3", len(recs))
		}
		want := []stypes.OperationType{stypes.OperationTypeInsert, stypes.OperationTypeModify, stypes.OperationTypeRemove}
		for i, r := range recs {
			if r.EventName != want[i] || aws.ToString(r.EventSource) != "aws:dynamodb" || r.Dynamodb == nil ||
				r.Dynamodb.Keys["pk"].(*stypes.AttributeValueMemberS).Value != "k" {
				t.Errorf("record %d = %s %s %+v", i, r.EventName, aws.ToString(r.EventSource), r.Dynamodb)
			}
		}
		img := func(m map[string]stypes.AttributeValue) string {
			if v, ok := m["v"].(*stypes.AttributeValueMemberN); ok {
				return v.Value
			}
			return ""
		}
		if img(recs[0].Dynamodb.NewImage) != "1" || recs[0].Dynamodb.OldImage != nil ||
			img(recs[1].Dynamodb.OldImage) != "1" || img(recs[1].Dynamodb.NewImage) != "2" ||
			img(recs[2].Dynamodb.OldImage) != "2" || recs[2].Dynamodb.NewImage != nil {
			t.Errorf("images: %+v / %+v / %+v", recs[0].Dynamodb, recs[1].Dynamodb, recs[2].Dynamodb)
		}
		if aws.ToString(recs[0].Dynamodb.SequenceNumber) >= aws.ToString(recs[1].Dynamodb.SequenceNumber) {
			t.Errorf("sequence numbers do not increase: %s, %s", aws.ToString(recs[0].Dynamodb.SequenceNumber), aws.ToString(recs[1].Dynamodb.SequenceNumber))
		}
	})
}
