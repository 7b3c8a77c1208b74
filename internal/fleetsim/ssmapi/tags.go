package ssmapi

import (
	"maps"
	"slices"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// Document tags: CreateDocument's Tags, AddTagsToResource and
// ListTagsForResource for ResourceType Document (the only resource type
// the simulator tags), with SSM's limits and error codes.

// Tag limits and error codes (a tag's key and value, and the resource
// types, are the model's constraints, checked before any operation runs).
const (
	maxTagsPerResource      = 50
	CodeInvalidResourceType = "InvalidResourceType"
	CodeInvalidResourceID   = "InvalidResourceId"
	CodeTooManyTagsError    = "TooManyTagsError"
	resourceTypeDocument    = "Document"
)

type tagJSON struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// documentTags is CreateDocument's Tags member.
type documentTags struct {
	Tags []tagJSON `json:"Tags"`
}

type addTagsInput struct {
	ResourceType string    `json:"ResourceType"`
	ResourceID   string    `json:"ResourceId"`
	Tags         []tagJSON `json:"Tags"`
}

type listTagsInput struct {
	ResourceType string `json:"ResourceType"`
	ResourceID   string `json:"ResourceId"`
}

type listTagsOutput struct {
	TagList []tagJSON `json:"TagList"`
}

// checkTags counts tags as SSM does and returns them as a map.
func checkTags(tags []tagJSON) (map[string]string, error) {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[t.Key] = t.Value
	}
	if len(out) > maxTagsPerResource {
		return nil, wire.ClientErr(CodeTooManyTagsError, "The Targets parameter includes too many tags. Remove one or more tags and try the command again.")
	}
	return out, nil
}

// taggedDocument finds the document a tag call names.
func (a *API) taggedDocument(resourceType, id string) (*document, error) {
	if resourceType != resourceTypeDocument {
		return nil, wire.ClientErr(CodeInvalidResourceType, "The simulator tags documents only, not %s.", resourceType)
	}
	d := a.docs[id]
	if d == nil || d.owner != a.Fleet.AccountID {
		return nil, wire.ClientErr(CodeInvalidResourceID, "The resource ID %q is not valid. Verify the ID and try again.", id)
	}
	return d, nil
}

func (a *API) addTagsToResource(in *addTagsInput) (any, error) {
	d, err := a.taggedDocument(in.ResourceType, in.ResourceID)
	if err != nil {
		return nil, err
	}
	add, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(d.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, add)
	if len(merged) > maxTagsPerResource {
		return nil, wire.ClientErr(CodeTooManyTagsError, "The resource %s would have more than %d tags.", in.ResourceID, maxTagsPerResource)
	}
	d.tags = merged
	return struct{}{}, nil
}

func (a *API) listTagsForResource(in *listTagsInput) (any, error) {
	d, err := a.taggedDocument(in.ResourceType, in.ResourceID)
	if err != nil {
		return nil, err
	}
	out := listTagsOutput{TagList: []tagJSON{}}
	for _, k := range slices.Sorted(maps.Keys(d.tags)) {
		out.TagList = append(out.TagList, tagJSON{Key: k, Value: d.tags[k]})
	}
	return out, nil
}
