package dynamodbstreams_test

import (
	"fmt"
	"testing"
	"time"
)

// A TTL deletion is read through GetRecords as a REMOVE whose userIdentity
// names the DynamoDB service, as AWS documents for Time to Live.
func TestTTLDeletionRecordCarriesServiceIdentity(t *testing.T) {
	e := newEnv(t)
	arn := e.table("sessions", "OLD_IMAGE")
	e.db("UpdateTimeToLive", m{"TableName": "sessions", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "exp"}})
	e.db("PutItem", m{"TableName": "sessions", "Item": m{"pk": S("s1"), "exp": N(fmt.Sprint(epoch.Add(time.Minute).Unix()))}})
	e.clock.now = epoch.Add(time.Hour)
	e.db("Scan", m{"TableName": "sessions"}) // any access sweeps
	recs := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})["Records"].([]any)
	if events(recs) != "INSERT,REMOVE" {
		t.Fatalf("events = %s", events(recs))
	}
	id, _ := recs[1].(m)["userIdentity"].(m)
	if id["Type"] != "Service" || id["PrincipalId"] != "dynamodb.amazonaws.com" {
		t.Fatalf("userIdentity = %v", recs[1])
	}
	if _, ok := recs[0].(m)["userIdentity"]; ok {
		t.Fatalf("a caller's write has userIdentity: %v", recs[0])
	}
}
