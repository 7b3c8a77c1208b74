package awsapi

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/go-logr/logr/funcr"
)

// answering is an AWS JSON endpoint that answers every call with status
// and body, as ECS and SSM do.
func answering(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// closedPort is an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// clientsAt builds ecswin's clients (NewConfig, as the engine does) for
// ECS and SSM at url, with load options on top.
func clientsAt(t *testing.T, url string, opts Options) Clients {
	t.Helper()
	opts.MaxAttempts, opts.MaxBackoff = 2, time.Millisecond
	opts.Trust = Trust{AllowEndpointOverrides: true}
	cl, err := NewCache(opts).ClientsFor(context.Background(), Settings{Region: "us-east-1", ECSEndpoint: url, SSMEndpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var staticKeys = []func(*config.LoadOptions) error{
	config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")),
}

// Each failure an operator meets first comes out of the real SDK with its
// call, AWS's or the SDK's own words, and what to do.
func TestExplainThroughTheSDK(t *testing.T) {
	ctx := context.Background()
	denied := answering(t, 400, `{"__type":"AccessDeniedException","message":"User: arn:aws:sts::123456789012:assumed-role/ecswin/s is not authorized to perform: ecs:ListContainerInstances on resource: arn:aws:ecs:us-east-1:123456789012:cluster/prod because no identity-based policy allows the ecs:ListContainerInstances action"}`)
	deniedBare := answering(t, 400, `{"__type":"AccessDeniedException","message":"Access denied"}`)
	missing := answering(t, 400, `{"__type":"ClusterNotFoundException","message":"Cluster not found."}`)
	cases := map[string]struct {
		call func() error
		want Cause
		says []string
	}{
		"access denied names the action AWS names": {
			call: func() error {
				_, err := clientsAt(t, denied, Options{LoadOptions: staticKeys}).ECS.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("prod")})
				return err
			},
			want: Cause{Kind: KindAccessDenied, Service: "ECS", Operation: "ListContainerInstances", Code: "AccessDeniedException", Action: "ecs:ListContainerInstances"},
			says: []string{"ECS ListContainerInstances: access denied (AccessDeniedException): User: arn:aws:sts::123456789012:assumed-role/ecswin/s is not authorized",
				": grant ecs:ListContainerInstances to that identity (config/iam/controller-policy.json"},
		},
		"access denied without an action names the call's": {
			call: func() error {
				_, err := clientsAt(t, deniedBare, Options{LoadOptions: staticKeys}).SSM.SendCommand(ctx, &ssm.SendCommandInput{DocumentName: aws.String("ecswin-x")})
				return err
			},
			want: Cause{Kind: KindAccessDenied, Service: "SSM", Operation: "SendCommand", Code: "AccessDeniedException", Action: "ssm:SendCommand"},
			says: []string{"SSM SendCommand: access denied (AccessDeniedException): Access denied: grant ssm:SendCommand"},
		},
		"cluster not found": {
			call: func() error {
				_, err := clientsAt(t, missing, Options{LoadOptions: staticKeys}).ECS.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("gone")})
				return err
			},
			want: Cause{Kind: KindNotFound, Service: "ECS", Operation: "ListContainerInstances", Code: "ClusterNotFoundException"},
			says: []string{"ECS ListContainerInstances: not found (ClusterNotFoundException): Cluster not found: check spec.clusters and spec.aws.region"},
		},
		"endpoint unreachable": {
			call: func() error {
				_, err := clientsAt(t, closedPort(t), Options{LoadOptions: staticKeys}).ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{})
				return err
			},
			want: Cause{Kind: KindUnreachable, Service: "ECS", Operation: "DescribeClusters", Attempts: 2},
			says: []string{"ECS DescribeClusters: endpoint unreachable: Post \"http://127.0.0.1:", "connection refused (after 2 attempts): check spec.aws.region and spec.aws.endpoints"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := Explain(c.call())
			msg := got.String()
			got.Message = ""
			if got != c.want {
				t.Errorf("Explain = %+v, want %+v", got, c.want)
			}
			for _, s := range c.says {
				if !strings.Contains(msg, s) {
					t.Errorf("String() = %q\nlacks %q", msg, s)
				}
			}
		})
	}
}

// syncBuffer collects log lines from the SDK's goroutines.
type syncBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *syncBuffer) add(prefix, args string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, prefix+" "+args)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// Without credentials on a machine whose IMDS has no role (here an IMDS
// that answers 404, as one without IMDSv2 tokens and no role does), the
// call fails before it is sent, with the SDK's own words for why; the
// SDK's warning about IMDSv1 goes to the logr logger, not to stderr.
func TestNoCredentialsSaysWhyAndLogsThroughLogr(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	defer imds.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_EC2_METADATA_DISABLED": "",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.URL,
	} {
		t.Setenv(k, v)
	}
	stderr := captureStderr(t)
	var logged syncBuffer
	log := funcr.New(logged.add, funcr.Options{})
	cl := clientsAt(t, closedPort(t), Options{Logger: log})
	_, err := cl.ECS.DescribeClusters(context.Background(), &ecs.DescribeClustersInput{})
	printed := stderr()

	c := Explain(err)
	if c.Kind != KindCredentials || c.Service != "ECS" || c.Operation != "DescribeClusters" {
		t.Errorf("Explain = %+v, want credentials on ECS DescribeClusters", c)
	}
	msg := c.String()
	for _, s := range []string{"ECS DescribeClusters: no usable AWS credentials: failed to refresh cached credentials, no EC2 IMDS role found",
		"give ecswin an AWS identity (the manager: IRSA or EKS Pod Identity"} {
		if !strings.Contains(msg, s) {
			t.Errorf("String() = %q\nlacks %q", msg, s)
		}
	}
	if strings.Contains(msg, "get identity") {
		t.Errorf("String() = %q keeps the SDK's framing", msg)
	}
	if !strings.Contains(logged.String(), "falling back to IMDSv1") || !strings.Contains(logged.String(), `"classification"="WARN"`) {
		t.Errorf("the SDK's IMDSv1 warning did not reach the logr logger; it logged:\n%s", logged.String())
	}
	if printed != "" {
		t.Errorf("the SDK printed to stderr:\n%s", printed)
	}
}

// captureStderr points os.Stderr at a pipe until the returned function
// is called, which gives what was written.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	orig := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	restore := func() string {
		if os.Stderr == w {
			os.Stderr = orig
			_ = w.Close()
			return <-done
		}
		return ""
	}
	t.Cleanup(func() { restore() })
	return restore
}

func TestCauseOfNothing(t *testing.T) {
	if c := Explain(nil); c != (Cause{}) || c.String() != "" {
		t.Errorf("Explain(nil) = %+v %q", c, c.String())
	}
}
