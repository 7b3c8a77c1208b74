package awsapi

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// FlagAllowEndpointOverrides is the manager's (and ecswinctl's) flag that
// lets a policy send ecswin's requests to any endpoint of the CRD's form.
const FlagAllowEndpointOverrides = "--allow-endpoint-overrides"

// checkEndpoint says whether the endpoint override raw of service (ecs,
// ssm, sts) may receive ecswin's signed requests for region: an https://
// host of that service in the region's partition domains (its regional,
// FIPS or dual-stack name) or a VPC endpoint name of it, on port 443,
// with no user info, query, fragment, control or bidirectional
// characters. A host that is merely somewhere under amazonaws.com is not
// enough: API Gateway and S3 website names live there too, and whoever
// owns them would receive the session token and could answer as ECS.
func checkEndpoint(service, raw, region string) error {
	for _, r := range raw {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == ' ' {
			return fmt.Errorf("it holds a space, control or bidirectional character")
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("it is not a URL: %w", err)
	case u.Scheme != "https":
		return fmt.Errorf("it is not https:// (the SDK would send the signature and session token in clear)")
	case u.User != nil:
		return fmt.Errorf("it carries user info")
	case u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return fmt.Errorf("it carries a query or fragment")
	case u.Hostname() == "":
		return fmt.Errorf("it names no host")
	case u.Port() != "" && u.Port() != "443":
		return fmt.Errorf("AWS endpoints listen on 443, not %s", u.Port())
	}
	p, ok := PartitionOf(region)
	if !ok {
		return fmt.Errorf("region %s belongs to no AWS partition ecswin knows", region)
	}
	host := strings.ToLower(u.Hostname())
	if !serviceHost(service, region, p).MatchString(host) {
		return fmt.Errorf("%s is not an %s endpoint of %s in the %s partition (%s.%s.%s, %s-fips.%s.%s, %s.%s.%s or a VPC endpoint name vpce-....%s.%s.vpce.%s)",
			host, strings.ToUpper(service), region, p.ID,
			service, region, p.DNSSuffix, service, region, p.DNSSuffix, service, region, p.DualStackDNSSuffix,
			service, region, p.DNSSuffix)
	}
	return nil
}

// serviceHost matches the host names of service in region of p.
func serviceHost(service, region string, p Partition) *regexp.Regexp {
	q := regexp.QuoteMeta
	svc, reg := q(service), q(region)
	alts := []string{
		svc + `(-fips)?\.` + reg + `\.` + q(p.DNSSuffix),
		svc + `(-fips)?\.` + reg + `\.` + q(p.DualStackDNSSuffix),
		// Interface VPC endpoints: vpce-<id>-<suffix>[-<zone>].<service>.<region>.vpce.<domain>.
		`vpce-[0-9a-z]+-[0-9a-z]+(-[0-9a-z-]+)?\.` + svc + `\.` + reg + `\.vpce\.` + q(p.DNSSuffix),
	}
	if service == "sts" && p.ID == "aws" {
		alts = append(alts, `sts\.amazonaws\.com`) // the global endpoint
	}
	if service == "sqs" {
		// The legacy queue URLs older queues still answer at:
		// <region>.queue.<domain>, and queue.amazonaws.com for us-east-1.
		alts = append(alts, reg+`\.queue\.`+q(p.DNSSuffix))
		if region == "us-east-1" {
			alts = append(alts, `queue\.amazonaws\.com`)
		}
	}
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)$`)
}

// checkEndpoints applies checkEndpoint to every override of s, and to
// the event queue's URL, whose host receives the SQS requests.
func checkEndpoints(s Settings) error {
	for _, e := range []struct{ field, service, url string }{
		{"spec.aws.endpoints.ecs", "ecs", s.ECSEndpoint},
		{"spec.aws.endpoints.ssm", "ssm", s.SSMEndpoint},
		{"spec.aws.endpoints.sts", "sts", s.STSEndpoint},
		{"spec.events.queueURL", "sqs", s.EventQueueURL},
	} {
		if e.url == "" {
			continue
		}
		if err := checkEndpoint(e.service, e.url, s.Region); err != nil {
			return &RefusedError{
				Field:  e.field,
				Reason: ReasonEndpointNotAllowed,
				Message: fmt.Sprintf("%s %s is refused: %v; ecswin sends its signed requests and session token only to AWS. "+
					"To use another endpoint (the fleet simulator, LocalStack), the operator starts the manager with %s",
					e.field, strconv.Quote(e.url), err, FlagAllowEndpointOverrides),
			}
		}
	}
	return nil
}

// queueEndpoint is the scheme, host and port of a queue URL: where SQS
// is asked about the queue.
func queueEndpoint(queueURL string) (string, error) {
	u, err := url.Parse(queueURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("spec.events.queueURL %s is not a queue URL", strconv.Quote(queueURL))
	}
	return u.Scheme + "://" + u.Host, nil
}
