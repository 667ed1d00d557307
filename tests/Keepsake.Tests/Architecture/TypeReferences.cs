using System.Reflection;
using System.Reflection.Emit;

namespace Keepsake.Tests.Architecture;

/// <summary>
/// The types a compiled type uses: in its signatures, its attributes and its method bodies (read from the IL, so a
/// reference written with a relative or fully qualified name counts the same as one behind a <c>using</c>).
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Add(found, type.BaseType);
        foreach (var used in type.GetInterfaces())
        {
            Add(found, used);
        }
        AddAttributes(found, type.CustomAttributes);
        foreach (var field in type.GetFields(Everything))
        {
            Add(found, field.FieldType);
            AddAttributes(found, field.CustomAttributes);
        }
        foreach (var property in type.GetProperties(Everything))
        {
            Add(found, property.PropertyType);
        }
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(found, info.ReturnType);
            }
            foreach (var parameter in method.GetParameters())
            {
                Add(found, parameter.ParameterType);
            }
            AddAttributes(found, method.CustomAttributes);
            AddBody(found, method);
        }
        return found;
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null)
        {
            return;
        }
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
            type = type.GetGenericTypeDefinition();
        }
        if (!type.IsGenericParameter)
        {
            found.Add(type);
        }
    }

    private static void AddAttributes(HashSet<Type> found, IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            Add(found, attribute.AttributeType);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                Add(found, argument.Value as Type);
            }
        }
    }

    /// <summary>Walks the IL and resolves every operand that is a type, a field or a method.</summary>
    private static void AddBody(HashSet<Type> found, MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    AddMember(found, method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments));
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static void AddMember(HashSet<Type> found, MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                Add(found, type);
                break;
            case FieldInfo field:
                Add(found, field.DeclaringType);
                Add(found, field.FieldType);
                break;
            case MethodBase called:
                Add(found, called.DeclaringType);
                if (called is MethodInfo info)
                {
                    Add(found, info.ReturnType);
                    if (info.IsGenericMethod)
                    {
                        foreach (var argument in info.GetGenericArguments())
                        {
                            Add(found, argument);
                        }
                    }
                }
                break;
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
