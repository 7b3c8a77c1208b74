package fleetsim_test

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim"
)

// The AWS CLI speaks SQS's JSON protocol when its botocore models SQS
// so (1.31.x and later); Debian's older CLI v2 speaks the query protocol,
// which the simulator does not, so it skips with the reason.
func TestAWSCLISQSWireCompatibility(t *testing.T) {
	for version, path := range awsCLIs(t) {
		t.Run(version, func(t *testing.T) { testAWSCLISQS(t, path) })
	}
}

func testAWSCLISQS(t *testing.T, path string) {
	e := newEnv(t, "small", fleetsim.Options{})
	c := newCLI(t, path, e.url)
	_, stderr, _ := c.exec("sqs", "list-queues", "--debug")
	if !strings.Contains(string(stderr), "AmazonSQS.ListQueues") {
		t.Skip("this CLI's botocore models SQS on the query protocol (before botocore 1.31): the simulator speaks SQS's JSON protocol only")
	}

	var created struct {
		QueueURL string `json:"QueueUrl"`
	}
	c.run(&created, "sqs", "create-queue", "--queue-name", "cli-events", "--attributes", "VisibilityTimeout=5,MessageRetentionPeriod=3600")
	if created.QueueURL != e.url+"/123456789012/cli-events" {
		t.Fatalf("create-queue: %+v", created)
	}
	var url struct {
		QueueURL string `json:"QueueUrl"`
	}
	c.run(&url, "sqs", "get-queue-url", "--queue-name", "cli-events")
	if url.QueueURL != created.QueueURL {
		t.Fatalf("get-queue-url: %+v", url)
	}

	var sent struct {
		MD5OfMessageBody string
		MessageID        string `json:"MessageId"`
	}
	c.run(&sent, "sqs", "send-message", "--queue-url", url.QueueURL, "--message-body", "hello",
		"--message-attributes", `{"kind":{"DataType":"String","StringValue":"greeting"}}`)
	sum := md5.Sum([]byte("hello"))
	if sent.MD5OfMessageBody != hex.EncodeToString(sum[:]) || sent.MessageID == "" {
		t.Fatalf("send-message: %+v", sent)
	}
	var batch struct {
		Successful []struct {
			ID string `json:"Id"`
		}
		Failed []any
	}
	c.run(&batch, "sqs", "send-message-batch", "--queue-url", url.QueueURL, "--entries", "Id=a,MessageBody=one", "Id=b,MessageBody=two")
	if len(batch.Successful) != 2 || len(batch.Failed) != 0 {
		t.Fatalf("send-message-batch: %+v", batch)
	}

	// An event EventBridge delivers, through a rule like config/aws's.
	if err := e.sim.PutRule("tasks", []byte(eventRules["tasks"]), "cli-events"); err != nil {
		t.Fatal(err)
	}
	host := e.sim.Instances(fleetsim.InstanceFilter{Cluster: "windows", WindowsOnly: true})[0]
	if _, err := e.sim.StartTask(host, "web", false); err != nil {
		t.Fatal(err)
	}
	e.clock.Step(time.Second)

	var got struct {
		Messages []struct {
			Body, ReceiptHandle, MD5OfBody string
			Attributes                     map[string]string
			MessageAttributes              map[string]struct{ StringValue, DataType string }
		}
	}
	c.run(&got, "sqs", "receive-message", "--queue-url", url.QueueURL, "--max-number-of-messages", "10",
		"--attribute-names", "All", "--message-attribute-names", "All", "--wait-time-seconds", "0")
	if len(got.Messages) != 4 || got.Messages[0].Body != "hello" || got.Messages[0].MessageAttributes["kind"].StringValue != "greeting" ||
		got.Messages[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("receive-message: %+v", got)
	}
	var event envelope
	if err := json.Unmarshal([]byte(got.Messages[3].Body), &event); err != nil || event.DetailType != fleetsim.DetailTaskStateChange {
		t.Fatalf("the delivered event: %v %+v", err, event)
	}

	entries := []string{"sqs", "delete-message-batch", "--queue-url", url.QueueURL, "--entries"}
	for i, m := range got.Messages {
		entries = append(entries, "Id=m"+string(rune('0'+i))+",ReceiptHandle="+m.ReceiptHandle)
	}
	var deleted struct {
		Successful []struct {
			ID string `json:"Id"`
		}
		Failed []any
	}
	c.run(&deleted, entries...)
	if len(deleted.Successful) != 4 {
		t.Fatalf("delete-message-batch: %+v", deleted)
	}
	var attrs struct{ Attributes map[string]string }
	c.run(&attrs, "sqs", "get-queue-attributes", "--queue-url", url.QueueURL, "--attribute-names", "All")
	if attrs.Attributes["ApproximateNumberOfMessages"] != "0" || attrs.Attributes["VisibilityTimeout"] != "5" {
		t.Fatalf("get-queue-attributes: %+v", attrs)
	}

	for args, want := range map[string]string{
		"sqs receive-message --queue-url " + e.url + "/123456789012/missing":                                      "NonExistentQueue",
		"sqs receive-message --max-number-of-messages 11 --queue-url " + url.QueueURL:                             "InvalidParameterValue",
		"sqs delete-message --receipt-handle bogus --queue-url " + url.QueueURL:                                   "ReceiptHandleIsInvalid",
		"sqs get-queue-attributes --attribute-names Nope --queue-url " + url.QueueURL:                             "",
		"sqs change-message-visibility --receipt-handle bogus --visibility-timeout 5 --queue-url " + url.QueueURL: "ReceiptHandleIsInvalid",
	} {
		_, stderr, err := c.exec(strings.Fields(args)...)
		if err == nil || !strings.Contains(string(stderr), want) {
			t.Errorf("aws %s: err %v, stderr %s; want an error naming %s", args, err, stderr, want)
		}
	}
}
