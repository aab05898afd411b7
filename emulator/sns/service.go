package sns

import "github.com/fakecloud/fakecloud/emulator"

func init() {
	emulator.Register(emulator.ServiceDef{
		Name: "sns",
		Operations: map[string]emulator.Handler{
			"CreateTopic":               createTopic,
			"DeleteTopic":               deleteTopic,
			"ListTopics":                listTopics,
			"GetTopicAttributes":        getTopicAttributes,
			"SetTopicAttributes":        setTopicAttributes,
			"Subscribe":                 subscribe,
			"ConfirmSubscription":       confirmSubscription,
			"Unsubscribe":               unsubscribe,
			"ListSubscriptions":         listSubscriptions,
			"ListSubscriptionsByTopic":  listSubscriptionsByTopic,
			"GetSubscriptionAttributes": getSubscriptionAttributes,
			"SetSubscriptionAttributes": setSubscriptionAttributes,
			"Publish":                   publish,
			"PublishBatch":              publishBatch,
			"TagResource":               tagResource,
			"UntagResource":             untagResource,
			"ListTagsForResource":       listTagsForResource,
		},
		// SigningCertURL: the certificate message validators fetch.
		Public: map[string]emulator.RawHandler{"GET": serveCert, "HEAD": serveCert},
		// The delivery log grouped by topic; the signing key never shown.
		State: state,
	})
}
