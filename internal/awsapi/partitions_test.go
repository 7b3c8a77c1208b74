package awsapi

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sdkPartition is one entry of the SDK's partitions.json.
type sdkPartition struct {
	ID          string              `json:"id"`
	RegionRegex string              `json:"regionRegex"`
	Regions     map[string]struct{} `json:"regions"`
	Outputs     struct {
		DNSSuffix          string `json:"dnsSuffix"`
		DualStackDNSSuffix string `json:"dualStackDnsSuffix"`
	} `json:"outputs"`
}

// sdkPartitions reads the partition data of the aws-sdk-go-v2 module this
// build uses, from the module cache (the SDK keeps it in an internal
// package, so it cannot be imported).
func sdkPartitions(t *testing.T) []sdkPartition {
	t.Helper()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2").Output()
	if err != nil {
		t.Fatalf("finding the aws-sdk-go-v2 module: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "internal", "endpoints", "awsrulesfn", "partitions.json"))
	if err != nil {
		t.Fatalf("reading the SDK's partition data: %v", err)
	}
	var doc struct {
		Partitions []sdkPartition `json:"partitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Partitions
}

// sdkRegions is every real region code of the SDK's partitions, by
// partition ID (the -global pseudo regions left out).
func sdkRegions(t *testing.T) map[string][]string {
	out := map[string][]string{}
	for _, p := range sdkPartitions(t) {
		for region := range p.Regions {
			if !strings.HasSuffix(region, "-global") {
				out[p.ID] = append(out[p.ID], region)
			}
		}
	}
	return out
}

// Partitions is the SDK's partition data, entry for entry: a partition
// or domain the SDK adds fails here until ecswin (and the CRD's region
// and ARN rules) know it.
func TestPartitionsMatchTheSDK(t *testing.T) {
	sdk := sdkPartitions(t)
	if len(sdk) != len(Partitions) {
		t.Errorf("the SDK has %d partitions, ecswin knows %d", len(sdk), len(Partitions))
	}
	for i, p := range sdk {
		if i >= len(Partitions) {
			t.Errorf("partition %s is missing from Partitions", p.ID)
			continue
		}
		want := Partition{ID: p.ID, RegionRegex: p.RegionRegex, DNSSuffix: p.Outputs.DNSSuffix, DualStackDNSSuffix: p.Outputs.DualStackDNSSuffix}
		if Partitions[i] != want {
			t.Errorf("Partitions[%d] = %+v, the SDK says %+v", i, Partitions[i], want)
		}
	}
	for id, regions := range sdkRegions(t) {
		for _, region := range regions {
			got, ok := PartitionOf(region)
			if !ok || got.ID != id {
				t.Errorf("PartitionOf(%s) = %s, %v; want %s", region, got.ID, ok, id)
			}
		}
	}
}
