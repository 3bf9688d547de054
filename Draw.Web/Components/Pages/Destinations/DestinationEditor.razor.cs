using Draw.Domain.Export;
using Microsoft.AspNetCore.Components;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// The form of one destination. Validation is the domain's own (DestinationAdministration.Validate),
/// run again on every change; a field's messages show once it was changed, all of them after Save.
/// </summary>
public sealed partial class DestinationEditor
{
    private static readonly string[] placedFields =
    [
        "Name", "FolderRoot", "PathPattern", "FileNamePattern", "StowUrl", "AuthorizationHeader", "MaxAttempts", "BackoffBaseSeconds", "BackoffMaxSeconds", "Nodes",
    ];

    private const string AuthorizationField = "AuthorizationHeader";

    private readonly HashSet<string> touched = new(StringComparer.Ordinal);
    private FormProblems problems = FormProblems.None;
    private bool showAll;
    private bool saving;
    private string? saveError;

    [Parameter, EditorRequired]
    public DestinationForm Form { get; set; } = default!;

    [Parameter, EditorRequired]
    public NamingSample Sample { get; set; } = NamingSample.MadeUp;

    [Parameter, EditorRequired]
    public DateTime LocalNow { get; set; }

    /// <summary>Saves the form; returns null when saved, else the reason it was not.</summary>
    [Parameter, EditorRequired]
    public Func<DestinationForm, Task<string?>> Save { get; set; } = default!;

    [Parameter, EditorRequired]
    public EventCallback Cancel { get; set; }

    private string Title => Form.Id == 0 ? $"New {KindText(Form.Kind)} destination" : $"Edit {Form.Name}";

    // Node fields are placed by the node editor ("Nodes[1].Port" sits under its row).
    private IReadOnlyCollection<string> PlacedFields => [.. placedFields, .. problems.All.Select(FormProblems.KeyOf).Where(k => k.StartsWith("Nodes[", StringComparison.Ordinal))];

    protected override void OnParametersSet() => problems = Form.Validate();

    public static string KindText(DestinationKind kind) => kind switch
    {
        DestinationKind.Folder => "folder",
        DestinationKind.WriteBack => "write-back",
        DestinationKind.DicomNode => "DICOM node",
        DestinationKind.DicomWeb => "DICOMweb (STOW-RS)",
        _ => kind.ToString(),
    };

    private bool IsVisible(string field) => showAll || touched.Contains(field);

    private void Changed(string field)
    {
        touched.Add(field);
        saveError = null;
        problems = Form.Validate();
    }

    private async Task SaveAsync()
    {
        showAll = true;
        problems = Form.Validate();
        if (problems.Any)
        {
            return;
        }

        saving = true;
        try
        {
            saveError = await Save(Form);
        }
        finally
        {
            saving = false;
        }
    }
}
