using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Editors;

/// <summary>What a person does in the template and rule editors, as Playwright steps.</summary>
internal static class EditorSteps
{
    /// <summary>Ticks a catalogue structure of a model in the picker.</summary>
    public static Task PickStructureAsync(IPage page, string name, int model) =>
        page.Locator($".picker-row[data-structure='{name}'][data-model='{model}'] .picker-check .rz-chkbox-box").ClickAsync();

    public static ILocator StructureRow(IPage page, string name) => page.Locator($".structure-row[data-structure='{name}']");

    public static ILocator RuleSet(IPage page, int position) => page.Locator($".ruleset-card[data-ruleset='{position}']");

    public static ILocator Rule(IPage page, int set, int position) => RuleSet(page, set).Locator($".rule-row[data-rule='{position}']");

    /// <summary>Types into a rule's tag input and picks the dictionary entry with that keyword.</summary>
    public static async Task PickTagAsync(IPage page, int set, int rule, string typed, string keyword)
    {
        var input = Rule(page, set, rule).Locator(".tag-input");
        await input.FillAsync(typed);
        var choice = Rule(page, set, rule).Locator($".tag-choice[data-keyword='{keyword}']");
        await choice.ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync(keyword);
    }

    public static Task FillValueAsync(IPage page, int set, int rule, string value) =>
        Rule(page, set, rule).Locator(".rule-value").FillAsync(value);

    /// <summary>Changes a user's role straight in the database, as another admin's action would.</summary>
    public static async Task SetRoleAsync(DrawDbContext db, string userName, string role)
    {
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync();
        db.UserRoles.RemoveRange(await db.UserRoles.Where(ur => ur.UserId == user.Id).ToListAsync());
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        await db.SaveChangesAsync();
    }
}
