package awsapi

import (
	"regexp"
	"strings"
)

// Partition is one AWS partition as the SDK's endpoint rules describe it
// (aws-sdk-go-v2's internal/endpoints/awsrulesfn/partitions.json): which
// region codes belong to it and the DNS domains of its service endpoints.
// TestPartitionsMatchTheSDK ties this table to the SDK's data, so a new
// partition or domain fails the test until it is added here (and to the
// CRD's region and ARN rules).
type Partition struct {
	ID                 string
	RegionRegex        string
	DNSSuffix          string
	DualStackDNSSuffix string
}

// Partitions are every partition ecswin knows, in the SDK's order.
var Partitions = []Partition{
	{ID: "aws", RegionRegex: `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`, DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws"},
	{ID: "aws-cn", RegionRegex: `^cn\-\w+\-\d+$`, DNSSuffix: "amazonaws.com.cn", DualStackDNSSuffix: "api.amazonwebservices.com.cn"},
	{ID: "aws-eusc", RegionRegex: `^eusc\-(de)\-\w+\-\d+$`, DNSSuffix: "amazonaws.eu", DualStackDNSSuffix: "api.amazonwebservices.eu"},
	{ID: "aws-iso", RegionRegex: `^us\-iso\-\w+\-\d+$`, DNSSuffix: "c2s.ic.gov", DualStackDNSSuffix: "api.aws.ic.gov"},
	{ID: "aws-iso-b", RegionRegex: `^us\-isob\-\w+\-\d+$`, DNSSuffix: "sc2s.sgov.gov", DualStackDNSSuffix: "api.aws.scloud"},
	{ID: "aws-iso-e", RegionRegex: `^eu\-isoe\-\w+\-\d+$`, DNSSuffix: "cloud.adc-e.uk", DualStackDNSSuffix: "api.cloud-aws.adc-e.uk"},
	{ID: "aws-iso-f", RegionRegex: `^us\-isof\-\w+\-\d+$`, DNSSuffix: "csp.hci.ic.gov", DualStackDNSSuffix: "api.aws.hci.ic.gov"},
	{ID: "aws-us-gov", RegionRegex: `^us\-gov\-\w+\-\d+$`, DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws"},
}

var partitionRegexes = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(Partitions))
	for i, p := range Partitions {
		out[i] = regexp.MustCompile(p.RegionRegex)
	}
	return out
}()

// PartitionOf is the partition of a region code. The SDK matches the
// regexes after an exact region list; the regexes of the partitions do
// not overlap, so the first match is the answer.
func PartitionOf(region string) (Partition, bool) {
	region = strings.ToLower(region)
	for i, re := range partitionRegexes {
		if re.MatchString(region) {
			return Partitions[i], true
		}
	}
	return Partition{}, false
}
