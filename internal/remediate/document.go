package remediate

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// DocumentChange says what EnsureDocument did.
type DocumentChange string

// Document changes; DocumentUnchanged is none.
const (
	DocumentUnchanged DocumentChange = ""
	DocumentCreated   DocumentChange = "Created"
	DocumentUpdated   DocumentChange = "Updated"
)

// EnsureDocument makes the default version of the SSM document name hold
// ecswin's content: it creates the document, or adds a version and makes
// it the default when the hash SSM reports differs from ours.
func EnsureDocument(ctx context.Context, api awsapi.SSMAPI, name string) (DocumentChange, error) {
	desc, err := api.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String(name)})
	switch {
	case awsapi.IsKind(err, awsapi.KindNotFound):
		return createDocument(ctx, api, name)
	case err != nil:
		return DocumentUnchanged, fmt.Errorf("describing SSM document %s: %w", name, err)
	}
	d := desc.Document
	if d != nil && aws.ToString(d.Hash) == ssmdoc.SHA256() {
		return DocumentUnchanged, nil
	}
	upd, err := api.UpdateDocument(ctx, &ssm.UpdateDocumentInput{
		Name:            aws.String(name),
		Content:         aws.String(string(ssmdoc.Content())),
		DocumentFormat:  ssmtypes.DocumentFormatJson,
		DocumentVersion: aws.String("$LATEST"),
	})
	var version string
	switch {
	case awsapi.IsKind(err, awsapi.KindDuplicateContent):
		// Our content is already a version, just not the default one;
		// it is the latest unless someone updated the document since.
		if d != nil {
			version = aws.ToString(d.LatestVersion)
		}
	case err != nil:
		return DocumentUnchanged, fmt.Errorf("updating SSM document %s: %w", name, err)
	case upd.DocumentDescription != nil:
		version = aws.ToString(upd.DocumentDescription.DocumentVersion)
	}
	if version == "" {
		return DocumentUnchanged, fmt.Errorf("updating SSM document %s: SSM named no new version", name)
	}
	if _, err := api.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{
		Name: aws.String(name), DocumentVersion: aws.String(version),
	}); err != nil {
		return DocumentUnchanged, fmt.Errorf("setting default version %s of SSM document %s: %w", version, name, err)
	}
	return DocumentUpdated, nil
}

func createDocument(ctx context.Context, api awsapi.SSMAPI, name string) (DocumentChange, error) {
	_, err := api.CreateDocument(ctx, &ssm.CreateDocumentInput{
		Name:           aws.String(name),
		Content:        aws.String(string(ssmdoc.Content())),
		DocumentType:   ssmtypes.DocumentTypeCommand,
		DocumentFormat: ssmtypes.DocumentFormatJson,
	})
	if awsapi.IsKind(err, awsapi.KindAlreadyExists) {
		// Another replica created it meanwhile; the next pass compares.
		return DocumentUnchanged, nil
	}
	if err != nil {
		return DocumentUnchanged, fmt.Errorf("creating SSM document %s: %w", name, err)
	}
	return DocumentCreated, nil
}
