// Package wire speaks the AWS JSON protocol (1.1, and 1.0 for a service
// declared so) on the server side: it routes POST / by X-Amz-Target,
// checks every request body against the operation's service model
// (package apimodel) before the operation sees it, decodes it, encodes
// answers and writes errors in the shape AWS sends them, so that
// aws-sdk-go-v2 and the AWS CLI classify them exactly as they would
// against AWS.
package wire
