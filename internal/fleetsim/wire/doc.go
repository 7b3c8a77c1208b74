// Package wire speaks the AWS JSON 1.1 protocol on the server side: it
// routes POST / by X-Amz-Target, decodes request bodies, encodes answers
// and writes errors in the shape AWS sends them, so that aws-sdk-go-v2
// and the AWS CLI classify them exactly as they would against AWS.
package wire
