package endpoints

//go:generate go run gen.go
