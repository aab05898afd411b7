package sqs

import "github.com/fakecloud/fakecloud/emulator"

func init() {
	emulator.Register(emulator.ServiceDef{
		Name: "sqs",
		Operations: map[string]emulator.Handler{
			"CreateQueue":                  createQueue,
			"GetQueueUrl":                  getQueueURL,
			"ListQueues":                   listQueues,
			"DeleteQueue":                  deleteQueue,
			"GetQueueAttributes":           getQueueAttributes,
			"SetQueueAttributes":           setQueueAttributes,
			"PurgeQueue":                   purgeQueue,
			"TagQueue":                     tagQueue,
			"UntagQueue":                   untagQueue,
			"ListQueueTags":                listQueueTags,
			"ListDeadLetterSourceQueues":   listDeadLetterSourceQueues,
			"SendMessage":                  sendMessage,
			"SendMessageBatch":             sendMessageBatch,
			"ReceiveMessage":               receiveMessage,
			"DeleteMessage":                deleteMessage,
			"DeleteMessageBatch":           deleteMessageBatch,
			"ChangeMessageVisibility":      changeMessageVisibility,
			"ChangeMessageVisibilityBatch": changeMessageVisibilityBatch,
			"AddPermission":                addPermission,
			"RemovePermission":             removePermission,
			"StartMessageMoveTask":         startMessageMoveTask,
			"ListMessageMoveTasks":         listMessageMoveTasks,
			"CancelMessageMoveTask":        cancelMessageMoveTask,
		},
	})
}
