namespace Draw.Worker.Ingest;

/// <summary>
/// The folders of a datastore in a fixed order (ordinal, depth first), so a checkpoint names a
/// place to resume. Symbolic links to folders are not followed (no loops, no escaping the root).
/// </summary>
internal static class FolderWalker
{
    public static IEnumerable<string> Walk(string root, bool recursive)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            yield return folder;
            if (!recursive)
            {
                continue;
            }

            string[] children;
            try
            {
                children = Directory.GetDirectories(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            Array.Sort(children, StringComparer.Ordinal);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                if (new DirectoryInfo(children[i]).LinkTarget is null)
                {
                    pending.Push(children[i]);
                }
            }
        }
    }

    /// <summary>The order Walk yields: a folder before its children, siblings in ordinal order.</summary>
    public static int Compare(string a, string b) =>
        string.CompareOrdinal(a.Replace(Path.DirectorySeparatorChar, '\0'), b.Replace(Path.DirectorySeparatorChar, '\0'));
}
