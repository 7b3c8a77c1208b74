package awsapi

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecswin/ecswin/api/v1alpha1"
)

// Clients are the service clients of one set of AWS settings.
type Clients struct {
	ECS ECSAPI
	SSM SSMAPI
	// SQS reaches the event queue's endpoint; nil without an event queue
	// in the settings (Settings.WithEventQueue).
	SQS SQSAPI
}

// ClientSource hands out the clients of a policy's settings; the engine
// depends on this rather than on Cache so tests can hand out clients of
// their own. An error that is a *RefusedError means the settings are not
// allowed and nothing was sent.
type ClientSource interface {
	ClientsFor(ctx context.Context, s Settings) (Clients, error)
}

// Cache builds clients once per distinct Settings, so a pass does not
// rebuild configs, credential caches or HTTP transports.
type Cache struct {
	opts Options

	mu      sync.Mutex
	clients map[Settings]Clients
}

var _ ClientSource = (*Cache)(nil)

// NewCache returns an empty cache whose configs are built with opts.
func NewCache(opts Options) *Cache {
	return &Cache{opts: opts, clients: map[Settings]Clients{}}
}

// Clients returns the cached clients for spec's settings (SettingsFrom).
func (c *Cache) Clients(ctx context.Context, spec v1alpha1.AWSSpec) (Clients, error) {
	return c.ClientsFor(ctx, SettingsFrom(spec))
}

// ClientsFor returns the cached clients for s, building them on first
// use, once the options' Trust allows s: a refused endpoint or role gets
// a *RefusedError before any client exists, so nothing reaches it.
func (c *Cache) ClientsFor(ctx context.Context, s Settings) (Clients, error) {
	if err := c.opts.Trust.Check(s); err != nil {
		return Clients{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.clients[s]; ok {
		return cl, nil
	}
	cfg, err := NewConfig(ctx, s, c.opts)
	if err != nil {
		return Clients{}, err
	}
	cl := Clients{
		ECS: ecs.NewFromConfig(cfg, func(o *ecs.Options) {
			if s.ECSEndpoint != "" {
				o.BaseEndpoint = aws.String(s.ECSEndpoint)
			}
		}),
		SSM: ssm.NewFromConfig(cfg, func(o *ssm.Options) {
			if s.SSMEndpoint != "" {
				o.BaseEndpoint = aws.String(s.SSMEndpoint)
			}
		}),
	}
	if s.EventQueueURL != "" {
		// SQS is asked at the queue URL's own host, so that a queue of a
		// VPC endpoint (or the simulator) is reached where it is.
		endpoint, err := queueEndpoint(s.EventQueueURL)
		if err != nil {
			return Clients{}, err
		}
		cl.SQS = sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(endpoint) })
	}
	c.clients[s] = cl
	return cl, nil
}
