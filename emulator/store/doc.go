// Package store is the emulator's state: a bbolt database with one namespace
// per account, region and service, plus large blobs kept as files beside it.
//
// It speaks bbolt's vocabulary so a service handler reads like bbolt code:
//
//	err := req.Store.Update(func(tx *store.Tx) error {
//		b, err := tx.CreateBucketIfNotExists("queues")
//		if err != nil {
//			return err
//		}
//		return b.PutJSON("my-queue", queue)
//	})
//
// Every key a service sees is scoped to its namespace (db.Namespace(account,
// region, service)); the emulator hands each handler the right one. Because
// all state goes through this package, Reset, Snapshot, Restore and Dump work
// for every service without service code knowing about them.
//
// Blobs (S3 object bodies and the like) stream to a temporary file, are
// fsynced and renamed into the blob directory before the transaction that
// refers to them commits; their IDs are random, never derived from a client
// key. A blob is removed after the commit of the transaction that deletes it,
// and Reset and Open collect blobs no committed record refers to.
package store
