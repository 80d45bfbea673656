package store

// Built-in word lists the seeder draws realistic names and attributes from.

var firstNames = []string{
	"Aaron", "Abigail", "Adam", "Adele", "Adrian", "Aisha", "Alan", "Alex", "Alice", "Allan", "Amanda", "Amelia",
	"Ana", "Andrew", "Angela", "Anna", "Anthony", "Ava", "Ben", "Beth", "Bianca", "Brian", "Bruno", "Caleb",
	"Camila", "Carlos", "Carmen", "Caroline", "Charles", "Chloe", "Chris", "Christie", "Claire", "Daniel", "David",
	"Debra", "Diego", "Dmitri", "Elena", "Eli", "Elizabeth", "Emily", "Emma", "Enrico", "Eric", "Ethan", "Eva",
	"Fatima", "Felix", "Fiona", "Francesca", "Gabriel", "Grace", "Grady", "Hannah", "Hans", "Harper", "Henry",
	"Hiro", "Ian", "Irvin", "Isaac", "Isabella", "Ivan", "Jack", "Jacob", "James", "Jane", "Javier", "Jessica",
	"Joanna", "Johanna", "John", "Jonas", "Jordan", "Jose", "Julia", "Kai", "Karen", "Kenji", "Kevin", "Laura",
	"Lee", "Leila", "Liam", "Lidia", "Lily", "Lucas", "Lynne", "Maria", "Mark", "Marta", "Mateo", "Maya", "Megan",
	"Mei", "Michael", "Miguel", "Mila", "Miriam", "Nadia", "Nathan", "Nestor", "Nina", "Noah", "Olivia", "Omar",
	"Oscar", "Patti", "Paul", "Pedro", "Pradeep", "Priya", "Rachel", "Raj", "Ravi", "Rebecca", "Ricardo", "Robert",
	"Rosa", "Ryan", "Samuel", "Sara", "Sean", "Sofia", "Sophie", "Stefan", "Susan", "Takumi", "Tara", "Thomas",
	"Tomas", "Valentina", "Victor", "Wei", "William", "Yasmin", "Yuki", "Zara", "Zoe",
}

var lastNames = []string{
	"Adams", "Ahmed", "Allen", "Alvarez", "Anderson", "Bailey", "Baker", "Becker", "Bell", "Bennett", "Brooks",
	"Brown", "Campbell", "Carter", "Castro", "Chen", "Clark", "Collins", "Cook", "Cooper", "Costa", "Cruz", "Davies",
	"Davis", "Diaz", "Dubois", "Edwards", "Evans", "Fischer", "Flores", "Foster", "Garcia", "Gomez", "Gonzalez",
	"Gray", "Green", "Gupta", "Hall", "Harris", "Hayes", "Hernandez", "Hill", "Howard", "Hughes", "Ito", "Jackson",
	"James", "Jensen", "Johnson", "Jones", "Kelly", "Khan", "Kim", "King", "Kowalski", "Kumar", "Lambert", "Lee",
	"Lewis", "Lopez", "Martin", "Martinez", "Meyer", "Miller", "Mitchell", "Moore", "Morales", "Morgan", "Morris",
	"Murphy", "Nakamura", "Nelson", "Nguyen", "Novak", "Okafor", "Olsen", "Ortiz", "Parker", "Patel", "Perez",
	"Peterson", "Phillips", "Price", "Ramirez", "Reed", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson",
	"Rodriguez", "Rogers", "Rossi", "Russell", "Sanchez", "Sanders", "Santos", "Schmidt", "Schneider", "Scott",
	"Silva", "Singh", "Smith", "Stewart", "Sullivan", "Suzuki", "Tanaka", "Taylor", "Thomas", "Thompson", "Torres",
	"Turner", "Walker", "Wang", "Ward", "Watson", "Weber", "White", "Williams", "Wilson", "Wood", "Wright", "Yamamoto",
	"Young", "Zhang",
}

// departments with the job titles found in each.
var departments = []struct {
	name   string
	titles []string
}{
	{"Sales", []string{"Account Executive", "Sales Manager", "Sales Representative", "Regional Sales Director"}},
	{"Marketing", []string{"Marketing Specialist", "Content Strategist", "Marketing Manager", "Brand Designer"}},
	{"Finance", []string{"Accountant", "Financial Analyst", "Controller", "Payroll Specialist"}},
	{"Human Resources", []string{"HR Generalist", "Recruiter", "HR Business Partner", "HR Manager"}},
	{"IT", []string{"Systems Administrator", "Help Desk Technician", "Network Engineer", "IT Manager", "Security Analyst"}},
	{"Engineering", []string{"Software Engineer", "Senior Software Engineer", "QA Engineer", "Engineering Manager", "Architect"}},
	{"Operations", []string{"Operations Analyst", "Logistics Coordinator", "Operations Manager"}},
	{"Legal", []string{"Paralegal", "Corporate Counsel", "Compliance Analyst"}},
	{"Customer Support", []string{"Support Engineer", "Customer Success Manager", "Support Team Lead"}},
	{"Research", []string{"Research Scientist", "Lab Technician", "Research Director"}},
	{"Executive", []string{"Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer", "Executive Assistant"}},
	{"Facilities", []string{"Facilities Coordinator", "Office Manager"}},
}

// offices are the tenant's sites.
var offices = []struct {
	office, street, city, state, postal, country, usage, phone string
}{
	{"Redmond HQ", "1 Contoso Way", "Redmond", "WA", "98052", "United States", "US", "+1 425 555 "},
	{"New York", "350 Fifth Avenue", "New York", "NY", "10118", "United States", "US", "+1 212 555 "},
	{"Chicago", "233 S Wacker Dr", "Chicago", "IL", "60606", "United States", "US", "+1 312 555 "},
	{"Austin", "500 W 2nd St", "Austin", "TX", "78701", "United States", "US", "+1 512 555 "},
	{"Toronto", "100 King St W", "Toronto", "ON", "M5X 1A9", "Canada", "CA", "+1 416 555 "},
	{"London", "20 Fenchurch Street", "London", "", "EC3M 3BY", "United Kingdom", "GB", "+44 20 7946 "},
	{"Munich", "Leopoldstrasse 8", "Munich", "Bavaria", "80802", "Germany", "DE", "+49 89 5550 "},
	{"Paris", "8 Rue de la Paix", "Paris", "", "75002", "France", "FR", "+33 1 5550 "},
	{"Sydney", "1 Macquarie Pl", "Sydney", "NSW", "2000", "Australia", "AU", "+61 2 5550 "},
	{"Tokyo", "2-7-2 Marunouchi", "Chiyoda-ku", "Tokyo", "100-7090", "Japan", "JP", "+81 3 5550 "},
	{"Singapore", "1 Raffles Place", "Singapore", "", "048616", "Singapore", "SG", "+65 6555 "},
	{"Sao Paulo", "Av. Paulista 1000", "Sao Paulo", "SP", "01310-100", "Brazil", "BR", "+55 11 5550 "},
}

// sharedFunctions name shared mailboxes.
var sharedFunctions = []string{
	"Info", "Support", "Sales", "Billing", "Accounts Payable", "Accounts Receivable", "HR", "Recruiting", "Payroll",
	"Marketing", "Press", "Legal", "Compliance", "Security", "IT Helpdesk", "Facilities", "Reception", "Events",
	"Procurement", "Invoices", "Careers", "Partners", "Feedback", "Orders", "Shipping", "Returns", "Privacy",
	"Training", "Travel", "Benefits",
}

var equipmentNames = []string{"Projector", "Pool Car", "Laptop Cart", "Camera Kit", "Video Kit", "Demo Device", "Van", "Podcast Kit"}

var groupTopics = []string{
	"Team", "Leads", "Announcements", "Projects", "All", "Managers", "Social", "Planning", "Interns", "Champions",
	"Release", "Partners", "Alerts", "Reviews", "Roadmap", "Ops",
}

// partnerDomains are outside organizations for contacts, mail users and guests.
var partnerDomains = []string{
	"fabrikam.com", "adventure-works.com", "northwindtraders.com", "tailspintoys.com", "wingtiptoys.com",
	"woodgrovebank.com", "litwareinc.com", "proseware.com", "fourthcoffee.com", "lucernepublishing.com",
}

// mobileModels are device partnerships: EAS (native mail) and Outlook (REST).
var mobileModels = []struct {
	deviceType, model, os, userAgent, clientType, operator string
}{
	{"iPhone", "iPhone15C2", "iOS 17.5.1 21F90", "Apple-iPhone15C2/2105.90", "EAS", "Verizon"},
	{"iPhone", "iPhone16C1", "iOS 18.1 22B83", "Apple-iPhone16C1/2201.83", "EAS", "AT&T"},
	{"iPad", "iPad13C1", "iOS 17.4 21E219", "Apple-iPad13C1/2104.219", "EAS", ""},
	{"Android", "SM-S918B", "Android 14.0.0", "Android-SAMSUNG-SM-S918B/101.140102", "EAS", "T-Mobile"},
	{"Outlook", "Outlook for iOS and Android", "iOS 17.5.1", "Outlook-iOS/2.0", "Outlook", ""},
	{"Outlook", "Outlook for iOS and Android", "Android 14.0.0", "Outlook-Android/2.0", "Outlook", ""},
}
