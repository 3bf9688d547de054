using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>The backend catalogue cache, templates, rule groups and each series' template decision.</summary>
public sealed partial class DrawDbContext
{
    public DbSet<CatalogueBackend> CatalogueBackends => Set<CatalogueBackend>();

    public DbSet<CatalogueModel> CatalogueModels => Set<CatalogueModel>();

    public DbSet<CatalogueStructure> CatalogueStructures => Set<CatalogueStructure>();

    public DbSet<Template> Templates => Set<Template>();

    public DbSet<TemplateModel> TemplateModels => Set<TemplateModel>();

    public DbSet<TemplateStructure> TemplateStructures => Set<TemplateStructure>();

    public DbSet<AdditionalStructure> AdditionalStructures => Set<AdditionalStructure>();

    public DbSet<RuleGroup> RuleGroups => Set<RuleGroup>();

    public DbSet<RuleSet> RuleSets => Set<RuleSet>();

    public DbSet<Rule> Rules => Set<Rule>();

    public DbSet<SeriesMatch> SeriesMatches => Set<SeriesMatch>();
}
