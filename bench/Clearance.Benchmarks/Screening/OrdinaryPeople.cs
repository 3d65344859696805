namespace Clearance.Benchmarks.Screening;

/// <summary>
/// Generated ordinary people (on no list): common given names and surnames of many countries, with a
/// date of birth and a nationality. Fixed seed.
/// </summary>
internal static class OrdinaryPeople
{
    private static readonly (string Country, string[] Given, string[] Family)[] Cultures =
    [
        ("US", ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David", "Elizabeth", "Richard", "Susan"],
            ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas"]),
        ("DE", ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Laura", "Maximilian", "Sophie", "Paul", "Marie", "Tobias", "Katharina"],
            ["Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf"]),
        ("JP", ["Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Takumi", "Sakura", "Ren", "Yuna", "Daiki", "Misaki"],
            ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada"]),
        ("KR", ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Eun-woo", "Seo-ah", "Joon-young", "Ye-jin", "Hyun-woo", "Su-bin"],
            ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh"]),
        ("CN", ["Wei", "Fang", "Lei", "Min", "Jing", "Yong", "Yan", "Jun", "Li", "Hua", "Xiu", "Ping"],
            ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"]),
        ("RU", ["Alexander", "Elena", "Dmitry", "Olga", "Sergei", "Natalia", "Andrei", "Tatiana", "Mikhail", "Irina", "Nikolai", "Svetlana"],
            ["Ivanov", "Smirnova", "Kuznetsov", "Popova", "Vasiliev", "Sokolova", "Mikhailov", "Novikova", "Fedorov", "Morozova", "Volkov", "Alekseeva"]),
        ("EG", ["Mohamed", "Fatma", "Ahmed", "Aya", "Mahmoud", "Mariam", "Mostafa", "Nour", "Youssef", "Salma", "Omar", "Hana"],
            ["Hassan", "Ibrahim", "Mahmoud", "Abdelrahman", "Saleh", "Mansour", "Farouk", "Khalil", "Naguib", "Shafik", "Tawfik", "Zaki"]),
        ("IN", ["Aarav", "Ananya", "Vivaan", "Diya", "Aditya", "Isha", "Arjun", "Priya", "Rohan", "Kavya", "Rahul", "Neha"],
            ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi", "Rao", "Das"]),
        ("ES", ["Hugo", "Lucia", "Martin", "Sofia", "Pablo", "Maria", "Alejandro", "Paula", "Daniel", "Carmen", "Javier", "Elena"],
            ["Garcia", "Rodriguez", "Gonzalez", "Fernandez", "Lopez", "Martinez", "Sanchez", "Perez", "Gomez", "Ruiz", "Diaz", "Moreno"]),
        ("TR", ["Yusuf", "Zeynep", "Eymen", "Elif", "Mustafa", "Defne", "Emir", "Ecrin", "Omer", "Asel", "Ali", "Azra"],
            ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Yildirim", "Ozturk", "Aydin", "Ozdemir", "Arslan", "Dogan"]),
    ];

    public static IEnumerable<(string Name, string Country, string BirthDate)> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var (country, given, family) = Cultures[random.Next(Cultures.Length)];
            string name = random.Next(4) == 0
                ? $"{given[random.Next(given.Length)]} {given[random.Next(given.Length)]} {family[random.Next(family.Length)]}"
                : $"{given[random.Next(given.Length)]} {family[random.Next(family.Length)]}";
            var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(65 * 365));
            yield return (name, country, birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
